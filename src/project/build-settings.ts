import type { BachError } from '../errors.js';
import type { Credentials } from '../api/credentials.js';
import type { GuardedSecret } from '../manifest/rules.js';

// What a build, a plan or a watch session is told to do, decided once per command (as Vite turns
// its inline config into a ResolvedConfig): the command line (`BuildFlags`, parsed in
// src/commands/ — the raw arguments stop there) plus the process environment plus the project's
// `.env` become `BuildSettings` (resolve-build-settings.ts). Every floor below the commands sees
// only the settings.

/** The command line of build, plan and watch, parsed and checked but not yet resolved. */
export interface BuildFlags {
  /** A bach.yaml, or a folder holding one, as typed. */
  path: string;
  concurrency: number;
  /** `--only` / `--force` as given (repeatable, comma-separated). */
  only: readonly string[];
  force: readonly string[];
  dryRun: boolean;
  /**
   * A dry run that still reads the keys to ask the API questions that cost nothing (`plan`: whether
   * the tasks bach.lock names are still served). A plain dry run never reads them.
   */
  queriesApi?: boolean;
  maxSeconds: number | undefined;
  retries: number;
  allowRerender: boolean;
  /** `--poll-interval`, in ms; undefined: BACH_POLL_INTERVAL, else the default. */
  pollIntervalMs: number | undefined;
  reporter: 'auto' | 'plain' | 'json';
  baseUrl: string | undefined;
  emulator: boolean;
  wait: boolean;
  watch: boolean;
  debounceMs: number;
  /** `--yes`: pay without asking (a build on a terminal asks first; watch renders on save). */
  yes: boolean;
  /** The team-cache flags (`--remote URL`, `--no-remote`, `--remote-read-only`, `--require-remote`), as given. */
  remote?: TeamCacheFlags | undefined;
}

export interface TeamCacheFlags {
  url?: string | undefined;
  off?: boolean | undefined;
  readOnly?: boolean | undefined;
  require?: boolean | undefined;
}

/** Where requests go. */
export type ApiTarget =
  | { kind: 'emulator' }
  | {
      kind: 'api';
      /** Normalised: http(s), no credentials, no query, no trailing slash. */
      baseUrl: string;
      /** Upload records are kept per origin. */
      origin: string;
      /** Where the address came from; `default` is the public Bach API. */
      source: 'default' | 'BACH_BASE_URL' | '--base-url';
    };

export interface BuildSettings {
  path: string;
  api: ApiTarget;
  /** Null when this command sends nothing (plan, --dry-run) or the embedded emulator hands out its own. */
  credentials: Credentials | null;
  /**
   * Why there are no credentials although the build may send (keys not set): raised only when the
   * plan turns out to call the API (plan/plan-calls-api.ts) — restoring from the cache needs no keys.
   */
  credentialsError: BachError | null;
  /** The API keys as a build would use them, whether or not this command sends: no prompt may contain them (manifest rules). */
  guardedSecrets: readonly GuardedSecret[];
  pollIntervalMs: number;
  /** `BACH_POLL`: `adaptive` (default) polls near each task's learned end; `fixed` every pollIntervalMs, as before. */
  adaptivePoll: boolean;
  /** Shot ids of `--only` / `--force`, split and trimmed; checked against the manifest by the plan step. */
  only: readonly string[];
  force: readonly string[];
  concurrency: number;
  retries: number;
  allowRerender: boolean;
  /** `--max-seconds`: for a build, the most it may generate; for watch, the session's budget. */
  maxSeconds: number | undefined;
  dryRun: boolean;
  wait: boolean;
  reporter: 'auto' | 'plain' | 'json';
  watch: boolean;
  debounceMs: number;
  /** `--yes`: pay without asking (a build on a terminal asks first; watch renders on save). */
  yes: boolean;
  /** The team-cache flags, passed to the team cache's own settings (remote/remote-settings.ts). */
  remote?: TeamCacheFlags | undefined;
}

/** The origin whose upload records count for this command: none for the embedded emulator (it lives one process). */
export function persistentOriginOf(api: ApiTarget): string | null {
  return api.kind === 'api' ? api.origin : null;
}
