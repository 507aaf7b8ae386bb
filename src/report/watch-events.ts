// What watch mode tells the world between (and around) builds. The build's own events are the
// executor's (src/render/events.ts); these frame them: which files are watched, what changed, when a
// run starts and when the watcher is idle again. Reporters render them (`Reporter.watch`); with
// `--reporter json` each is one NDJSON line, so scripts and tests wait for `watch:idle` instead of
// sleeping. Paths are relative to the manifest's folder, POSIX.

/** How a run ended. */
export type WatchRunResult =
  | 'rendered'     // the build ran and every shot it had to do is done (or nothing needed doing)
  | 'failed'       // the build ran; some shots failed (the watcher keeps going)
  | 'planned'      // --dry-run: planned only
  | 'over-budget'  // the plan costs more than what is left of --max-seconds: planned only
  | 'unconfirmed'  // on a terminal without --yes: planned, waiting for Enter; a save came first
  | 'invalid'      // the manifest did not load: diagnostics printed, last good state kept
  | 'error'        // something unexpected stopped the run (reported; the watcher keeps going)
  | 'interrupted'; // Ctrl-C

export type WatchEvent =
  /** Watching has started: the explicit list of files. */
  | { type: 'watch:ready'; files: string[] }
  /** The list changed after a load (a reference added or removed). */
  | { type: 'watch:files'; files: string[]; added: string[]; removed: string[] }
  /** A burst of saves has settled. `running`: a run is in progress, exactly one more follows it. */
  | { type: 'watch:change'; paths: string[]; running: boolean }
  /** Shots edited while their work is in flight: results still to come go to the cache only. */
  | { type: 'watch:stale'; shots: string[] }
  /** A run begins (`changed` is empty for the first run). */
  | { type: 'watch:run-start'; run: number; changed: string[] }
  /** The manifest did not load; its diagnostics were printed just before. */
  | { type: 'watch:invalid'; problems: number }
  /** The run was refused: its plan costs more than is left of the session budget. */
  | { type: 'watch:budget'; planSeconds: number; spentSeconds: number; maxSeconds: number }
  /** Something unexpected went wrong in a run; the watcher keeps going. */
  | { type: 'watch:error'; message: string }
  /** A run has ended and the watcher waits for the next save. */
  | {
      type: 'watch:idle';
      run: number;
      result: WatchRunResult;
      /** Shots rendered by this run (new videos placed). */
      rendered: number;
      failed: number;
      /** Seconds of video submitted (paid for) by this run / by the whole session. */
      runSeconds: number;
      spentSeconds: number;
      /** --max-seconds, when given. */
      maxSeconds?: number;
      /** How many files are watched. */
      files: number;
    }
  /** Ctrl-C: no more runs; the current one (if any) finishes recording what is in flight. */
  | { type: 'watch:stop' };
