import type { BuildSettings } from '../project/build-settings.js';
import type { Session } from '../session/session.js';
import type { CliContext } from '../util/cli-context.js';
import { BachError } from '../errors.js';
import type { LoadResult } from '../manifest/load.js';
import type { Plan } from '../plan/types.js';
import type { RunReport } from '../render/run-report.js';
import type { Reporter } from '../report/reporter.js';
import type { Clock } from '../util/clock.js';
import { readCurrentFingerprints } from './current-fingerprints.js';
import type { WatchEvent } from '../report/watch-events.js';
import { createFileWatcher } from './file-watcher.js';
import { createRunScheduler, type SchedulerTimers } from './run-scheduler.js';
import { listFilesOfInvalid, listWatchFiles } from './watch-list.js';
import { executeWatchRun, loadForWatch, type WatchRunContext, type WatchState } from './watch-run.js';

// A watch session: the file watcher feeds the scheduler; the scheduler runs one build at a time
// (watch-run.ts); a burst that settles during a run loads the manifest again to learn which shots
// changed under their tasks in flight, so that their results go to the cache instead of over the
// newer edit. Ctrl-C stops watching, lets the run in progress record what is in flight (the executor
// handles the signal), and returns 130. The session, the API client and the process lock belong to
// the caller and live as long as the session.
//
// Every callback into here (watcher events, timers, refreshes) ends in a catch that reports: a
// failure in one run never stops the watcher and never becomes an unhandled rejection.
//
// NOTE: a task that finishes within the debounce window after an edit (before the edit is loaded)
// is placed as usual; the follow-up run then renders the new version over it. Nothing is paid twice
// for the same fingerprint either way.

export interface WatchSessionOptions {
  settings: BuildSettings;
  context: CliContext;
  /** The folder holding the manifest. */
  root: string;
  session: Session | null;
  /** The session's reporter: watch events and messages between runs. */
  reporter: Reporter;
  /** A fresh reporter for each run (the live view draws one block per build). */
  createRunReporter(): Promise<Reporter>;
  /** The load made at start-up (it located the manifest). */
  initial: LoadResult;
  clock: Clock;
  timers?: SchedulerTimers;
  /** `--serve`: each run's settled page data goes to the live page. */
  onPageData?: (data: import('../review/review-data.js').ReviewData | null) => void;
  /**
   * What a run does before it pays (given by the command: commands/watch-free-results.ts): fetch
   * what is free from the team cache and from the tasks bach.lock names; after the run, push.
   */
  fetchFreeResults?: FetchFreeResults;
}

/** Free results fetched for one run, and what to do with the team cache after it. */
export interface FreeResults {
  fetched: number;
  pushRendered(report: RunReport | null): Promise<void>;
  close(): Promise<void>;
}

/** `plan`: the run's plan, which pays for something (what to look for). */
export type FetchFreeResults = (manifestFile: string, reporter: Reporter, plan: Plan) => Promise<FreeResults>;

export async function runWatchSession(options: WatchSessionOptions): Promise<number> {
  const { context, root } = options;
  const state: WatchState = { goodFiles: [], runs: 0, spentSeconds: 0, current: null, latest: null, awaitingKey: null };
  const emit = (event: WatchEvent) => (state.current?.reporter ?? options.reporter).watch?.(event);
  const reportError = (error: unknown) => emit({ type: 'watch:error', message: describeError(error) });
  let started = false;

  const watcher = createFileWatcher({ root, onChange: (paths) => scheduler.notify(paths), onError: reportError });
  const setFiles = async (files: string[]) => {
    const { added, removed } = await watcher.setFiles(files);
    if (started && (added.length > 0 || removed.length > 0)) emit({ type: 'watch:files', files: watcher.files(), added, removed });
  };
  const runContext: WatchRunContext = {
    ...options,
    state,
    setFiles,
    markSeen: () => watcher.markSeen(),
    watchedCount: () => watcher.files().length,
    emit,
    reportError,
  };

  // Loads made while a run is in progress, one at a time; the next run waits for them to finish.
  let refreshing: Promise<void> = Promise.resolve();
  const refresh = (changes: string[]) => {
    emit({ type: 'watch:change', paths: changes, running: true });
    // A run waiting for Enter is over: its plan is out of date; the follow-up run plans again.
    state.awaitingKey?.abort();
    refreshing = refreshing.then(() => refreshFingerprints(runContext)).catch(reportError);
    return refreshing;
  };
  const scheduler = createRunScheduler({
    debounceMs: options.settings.debounceMs,
    ...(options.timers ? { timers: options.timers } : {}),
    run: async (changes) => {
      if (changes.length > 0) emit({ type: 'watch:change', paths: changes, running: false });
      await refreshing;
      await executeWatchRun(runContext, changes);
    },
    onSettledDuringRun: refresh,
    onError: reportError,
  });

  try {
    state.goodFiles = await initialFiles(options.initial, root);
    await watcher.setFiles(state.goodFiles);
    started = true;
    emit({ type: 'watch:ready', files: watcher.files() });
    scheduler.runNow();
    await waitForAbort(context.interrupt);
  } finally {
    await watcher.close();
    await scheduler.stop();
    await refreshing;
    // Said last, after the run in progress has reported how it ended: nothing follows it.
    if (started) emit({ type: 'watch:stop' });
  }
  return 130;
}

/** During a run: which shots have changed since the run planned them? Invalid edits change nothing. */
async function refreshFingerprints(ctx: WatchRunContext): Promise<void> {
  const loaded = await loadForWatch(ctx);
  if (!loaded.ok) return;
  let latest: Map<string, string>;
  try {
    latest = await readCurrentFingerprints(loaded.manifest, ctx.clock.now);
  } catch (error) {
    // A file replaced while it was being hashed: the next settle (or the follow-up run) sees it.
    if (error instanceof BachError) return;
    throw error;
  }
  // The next run waits for this refresh, so `latest` always belongs to the run in progress.
  ctx.state.latest = latest;
  const stale = (ctx.state.current?.plan()?.shots ?? []).filter((s) => s.source !== null && latest.get(s.shot.id) !== s.fingerprint).map((s) => s.shot.id);
  if (stale.length > 0) ctx.emit({ type: 'watch:stale', shots: stale });
}

async function initialFiles(initial: LoadResult, root: string): Promise<string[]> {
  if (initial.ok) return listWatchFiles(initial.manifest);
  if (!initial.source) return [];
  return listFilesOfInvalid(initial.source, root);
}

function describeError(error: unknown): string {
  if (error instanceof BachError) return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
  if (error instanceof Error) return `unexpected error (the watcher keeps going): ${error.stack ?? error.message}`;
  return String(error);
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
