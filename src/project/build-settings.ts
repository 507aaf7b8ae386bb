// What build and watch are told to do, once the command line has been read. The raw flags stop at
// src/commands/ (build-flags.ts parses them); every floor below the commands sees these settings.

export interface BuildSettings {
  path: string;
  concurrency: number;
  only: string[] | undefined;
  force: string[] | undefined;
  dryRun: boolean;
  maxSeconds: number | undefined;
  retries: number;
  allowRerender: boolean;
  /** Undefined: BACH_POLL_INTERVAL, else 10 s (1 s against --emulator). */
  pollIntervalMs: number | undefined;
  reporter: 'auto' | 'plain' | 'json';
  baseUrl: string | undefined;
  emulator: boolean;
  wait: boolean;
  watch: boolean;
  debounceMs: number;
}
