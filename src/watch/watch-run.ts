import type { WatchSessionOptions } from './watch-session.js';
import { afterBuild } from '../session/after-build.js';
import { buildOnce } from '../session/build-once.js';
import { shouldAskToPay } from '../project/should-ask-to-pay.js';
import type { Plan } from '../plan/types.js';
import type { Reporter } from '../report/reporter.js';
import type { Input } from '../util/cli-context.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { loadManifest, type LoadResult } from '../manifest/load.js';
import type { WatchEvent, WatchRunResult } from '../report/watch-events.js';
import { countErrors } from '../manifest/diagnostics.js';
import { createSpendMeter, type SpendMeter } from './spend-meter.js';
import type { FreeResults } from './watch-session.js';
import { listFilesOfInvalid, listWatchFiles } from './watch-list.js';

// One run of a watch session: load → (invalid: diagnostics, keep the last good state and watch what
// the broken text references) → watch the new file list → the same build as `bach-render build`
// (plan printed with its cost, budget enforced, executed, locked) → one idle line.
//
// A run never throws: whatever goes wrong is reported and the session waits for the next save.

export interface WatchState {
  /** The list of the last manifest that loaded: kept while the manifest is invalid. */
  goodFiles: string[];
  runs: number;
  /** Seconds the API accepted during this session (the budget's meter). */
  spentSeconds: number;
  /** The run in progress: its reporter (and plan) — watch events go through it while it runs. */
  current: SpendMeter | null;
  /** Fingerprints seen by a load made during the current run (null: the run's own plan is current). */
  latest: Map<string, string> | null;
  /** The run's wait for Enter (a terminal without --yes): a save aborts it and plans again. */
  awaitingKey: AbortController | null;
}

/** What a run needs: the session's options (watch-session.ts) and the session's live state. */
export interface WatchRunContext
  extends Pick<WatchSessionOptions, 'settings' | 'context' | 'root' | 'session' | 'reporter' | 'createRunReporter' | 'clock' | 'onPageData' | 'fetchFreeResults'> {
  state: WatchState;
  setFiles(files: string[]): Promise<void>;
  /** Before the run reads anything: what it is about to read is not a change any more. */
  markSeen(): Promise<void>;
  watchedCount(): number;
  emit(event: WatchEvent): void;
  /** Reports an unexpected error without stopping the session. */
  reportError(error: unknown): void;
}

export function loadForWatch(ctx: Pick<WatchRunContext, 'settings' | 'context'>): Promise<LoadResult> {
  return loadManifest(ctx.settings.path, { cwd: ctx.context.cwd, cache: true, secrets: ctx.settings.guardedSecrets });
}

export async function executeWatchRun(ctx: WatchRunContext, changes: string[]): Promise<void> {
  const { state } = ctx;
  state.runs += 1;
  const run = state.runs;
  ctx.emit({ type: 'watch:run-start', run, changed: changes });
  let outcome: { result: WatchRunResult; rendered: number; failed: number; runSeconds: number };
  try {
    outcome = await loadAndBuild(ctx);
  } catch (error) {
    ctx.reportError(error);
    outcome = { result: ctx.context.interrupt.aborted ? 'interrupted' : 'error', rendered: 0, failed: 0, runSeconds: 0 };
  }
  ctx.emit({
    type: 'watch:idle',
    run,
    ...outcome,
    spentSeconds: state.spentSeconds,
    ...(ctx.settings.maxSeconds === undefined ? {} : { maxSeconds: ctx.settings.maxSeconds }),
    files: ctx.watchedCount(),
  });
}

async function loadAndBuild(ctx: WatchRunContext): Promise<{ result: WatchRunResult; rendered: number; failed: number; runSeconds: number }> {
  const { settings, context, state } = ctx;
  const json = settings.reporter === 'json';
  const nothing = { rendered: 0, failed: 0, runSeconds: 0 };
  // From here on this run's own load is the reference; a load during the run may replace it.
  state.latest = null;
  await ctx.markSeen();
  const loaded = await loadForWatch(ctx);
  reportDiagnostics(loaded, context, json);
  if (!loaded.ok) {
    const broken = loaded.source ? await listFilesOfInvalid(loaded.source, ctx.root) : [];
    await ctx.setFiles([...new Set([...state.goodFiles, ...broken])]);
    ctx.emit({ type: 'watch:invalid', problems: countErrors(loaded.diagnostics) });
    return { result: 'invalid', ...nothing };
  }
  const { manifest } = loaded;
  state.goodFiles = listWatchFiles(manifest);
  await ctx.setFiles(state.goodFiles);

  const meter = createSpendMeter(await ctx.createRunReporter());
  state.current = meter;
  const remaining = settings.maxSeconds === undefined ? undefined : Math.max(0, settings.maxSeconds - state.spentSeconds);
  let built;
  // Before a run pays, what is free from outside the folder (the team cache, the tasks bach.lock
  // names); after it, what it rendered goes to the team cache.
  let free: FreeResults | null = null;
  const fetchFree = ctx.fetchFreeResults
    ? async (plan: Plan) => {
        free = await ctx.fetchFreeResults!(loaded.source.absFile, meter.reporter, plan);
        return free.fetched > 0;
      }
    : undefined;
  try {
    built = await buildOnce({
      manifest,
      label: loaded.source.file,
      settings,
      session: ctx.session,
      reporter: meter.reporter,
      interrupt: context.interrupt,
      clock: ctx.clock,
      budgetSeconds: remaining,
      // A result whose shot was edited since its submission stays in the cache (paid for), unplaced.
      isCurrent: (shotId, fingerprint) => state.latest === null || state.latest.get(shotId) === fingerprint,
      ...(context.stdin && shouldAskToPay(settings, context) ? { confirm: (plan: Plan) => waitForEnter(ctx, meter.reporter, plan, context.stdin!) } : {}),
      ...(fetchFree ? { fetchFree } : {}),
    });
    if (built.kind === 'done') await (free as FreeResults | null)?.pushRendered(built.report.interrupted ? null : built.report);
  } finally {
    await (free as FreeResults | null)?.close();
    state.spentSeconds += meter.spentSeconds();
    state.current = null;
    state.latest = null;
    await meter.reporter.close();
  }
  const runSeconds = meter.spentSeconds();
  if (built.kind === 'planned') {
    ctx.reporter.message('info', 'Dry run: nothing was uploaded or submitted; no output and no lockfile were written.');
    return { result: 'planned', ...nothing };
  }
  if (built.kind === 'declined') return { result: context.interrupt.aborted ? 'interrupted' : 'unconfirmed', ...nothing };
  if (built.kind === 'over-budget') {
    ctx.emit({ type: 'watch:budget', planSeconds: built.plan.totals.secondsToGenerate, spentSeconds: state.spentSeconds, maxSeconds: settings.maxSeconds ?? 0 });
    return { result: 'over-budget', ...nothing };
  }
  const { report } = built;
  // Each run keeps the review page current (and cuts with `cut: true`), as a build does.
  if (!report.interrupted) ctx.onPageData?.(await afterBuild(loaded.source.file, built.plan, report, context, meter.reporter));
  const result: WatchRunResult = report.interrupted ? 'interrupted' : report.failed.length > 0 ? 'failed' : 'rendered';
  return { result, rendered: report.rendered.length, failed: report.failed.length, runSeconds };
}

/**
 * Watch mode on a terminal, without --yes: every save is planned, and the plan is rendered when the
 * person presses Enter (issue 15, item 1) — an editor's autosave of a half-typed prompt is never
 * billed. A save before Enter aborts the wait (watch-session.ts) and the next run plans again. Enter
 * is the key because a line is what a terminal in its normal (cooked) mode delivers: no raw mode to
 * restore if the process dies, and Ctrl-C keeps working as everywhere else.
 */
async function waitForEnter(ctx: WatchRunContext, reporter: Reporter, plan: Plan, input: Input): Promise<boolean> {
  const seconds = plan.totals.secondsToGenerate;
  reporter.message('info', `Press Enter to render (${seconds} s of video, billed); save again to plan again; Ctrl-C to stop.`);
  const wait = new AbortController();
  ctx.state.awaitingKey = wait;
  try {
    return (await input.readLine(AbortSignal.any([ctx.context.interrupt, wait.signal]))) !== null;
  } finally {
    ctx.state.awaitingKey = null;
  }
}
