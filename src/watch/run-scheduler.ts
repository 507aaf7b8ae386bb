// When watch mode runs a build: debounce bursts of saves, one run at a time, and a change during a
// run causes exactly one follow-up. Pure logic over an injected timer, so that its tests need no
// real time and no files.
//
// Invariants:
//   - at most one run is in progress;
//   - a change seen while idle starts a run `debounceMs` after the last change of its burst
//     (every further change restarts the wait);
//   - changes that settle while a run is in progress mark the state dirty; when the run ends,
//     exactly one follow-up run starts, carrying every change since the previous run began;
//   - a run is never started after stop(); stop() resolves once the current run (if any) has ended;
//   - `run` and `onSettledDuringRun` never reject into the caller: errors go to `onError`.

export interface SchedulerTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: SchedulerTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RunSchedulerOptions {
  debounceMs: number;
  timers?: SchedulerTimers;
  /** One run. `changes` are the paths changed since the previous run began (sorted, unique). */
  run(changes: string[]): Promise<void>;
  /** A burst settled while a run is in progress (a follow-up run will come after it). */
  onSettledDuringRun?(changes: string[]): Promise<void> | void;
  onError(error: unknown): void;
}

export interface RunScheduler {
  /** The watcher saw these paths change. */
  notify(paths: readonly string[]): void;
  /** Runs at once (the first build of a session), unless a run is already in progress. */
  runNow(): void;
  /** No more runs; resolves when the current run has ended. */
  stop(): Promise<void>;
  readonly state: 'idle' | 'waiting' | 'running' | 'stopped';
}

export function createRunScheduler(options: RunSchedulerOptions): RunScheduler {
  const timers = options.timers ?? realTimers;
  let pending = new Set<string>();
  let timer: unknown = null;
  let current: Promise<void> | null = null;
  let dirty = false;
  let stopped = false;

  const guard = (work: () => Promise<void> | void): Promise<void> =>
    Promise.resolve()
      .then(work)
      .catch((error: unknown) => options.onError(error));

  const begin = () => {
    const changes = [...pending].sort();
    pending = new Set();
    dirty = false;
    current = guard(() => options.run(changes)).then(() => {
      current = null;
      // A burst still settling will start the follow-up itself when its timer fires.
      if (dirty && timer === null && !stopped) begin();
    });
  };

  const settle = () => {
    timer = null;
    if (stopped) return;
    if (current) {
      dirty = true;
      const changes = [...pending].sort();
      void guard(() => options.onSettledDuringRun?.(changes));
      return;
    }
    begin();
  };

  return {
    notify(paths) {
      if (stopped || paths.length === 0) return;
      for (const path of paths) pending.add(path);
      if (timer !== null) timers.clear(timer);
      timer = timers.set(settle, options.debounceMs);
    },
    runNow() {
      if (stopped || current) return;
      if (timer !== null) timers.clear(timer);
      timer = null;
      begin();
    },
    async stop() {
      stopped = true;
      if (timer !== null) timers.clear(timer);
      timer = null;
      await current;
    },
    get state() {
      if (stopped) return 'stopped';
      if (current) return 'running';
      return timer === null ? 'idle' : 'waiting';
    },
  };
}
