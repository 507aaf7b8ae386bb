// A build's result, folded from what each shot's worker returned (pure): executePlan collects one
// outcome per job and calls createRunReport once, so no worker writes to a report shared by all.

export interface ShotFailure {
  id: string;
  message: string;
  taskId?: string;
  /** Paid for, but no video: e.g. a result URL that expired before download. */
  paidButLost?: boolean;
  /** Not a problem of the project, the network or the API: a bug in bach-render (the stack says where). */
  internal?: true;
  stack?: string;
}

export interface RunReport {
  /** New renders that finished (paid in this or an earlier, interrupted run), in storyboard order. */
  rendered: string[];
  restored: string[];
  unchanged: number;
  skipped: number;
  removed: string[];
  failed: ShotFailure[];
  /** Shots whose create request had an unknown outcome at least once: they may have been billed twice. */
  inDoubt: string[];
  /** Shots never submitted because the run stopped early (credits, auth, Ctrl-C). */
  notSubmitted: string[];
  /** Why submitting stopped for every remaining shot (insufficient credits, rejected keys), if it did. */
  stopReason: string | null;
  /** Results of earlier submissions collected into the cache only (their shot has changed since). */
  collected: number;
  secondsGenerated: number;
  interrupted: boolean;
  /** The tasks lived in an embedded emulator (`--emulator`): an interrupted one ends with the process. */
  ephemeralApi: boolean;
  wallMs: number;
}

/** What one job (a shot, or an earlier task no shot wants any more) came to. */
export type ShotOutcome = { id: string; /** Its create request may have been billed twice. */ inDoubt?: boolean } & (
  | { kind: 'rendered'; seconds: number }
  | { kind: 'restored' }
  /** A paid result kept in the cache only: an orphaned task, or a shot edited while it rendered. */
  | { kind: 'collected' }
  | { kind: 'failed'; failure: ShotFailure }
  /** Never submitted: Ctrl-C, or submitting stopped (credits, keys). */
  | { kind: 'not-submitted' }
  /** Nothing to report now: a task interrupted in flight (the next build resumes it), a shot edited before it was submitted (the next run plans it). */
  | { kind: 'left' }
);

export interface RunTotals {
  unchanged: number;
  skipped: number;
  removed: string[];
  /** Shots an earlier build could not report as possibly billed twice (it was killed before its summary). */
  earlierInDoubt: readonly string[];
  interrupted: boolean;
  ephemeralApi?: boolean;
  stopReason: string | null;
  wallMs: number;
}

export function createRunReport(outcomes: readonly ShotOutcome[], totals: RunTotals): RunReport {
  const report = createEmptyReport();
  Object.assign(report, { unchanged: totals.unchanged, skipped: totals.skipped, removed: [...totals.removed] });
  const inDoubt = new Set(totals.earlierInDoubt);
  for (const outcome of outcomes) {
    if (outcome.inDoubt) inDoubt.add(outcome.id);
    if (outcome.kind === 'rendered') {
      report.rendered.push(outcome.id);
      report.secondsGenerated += outcome.seconds;
    } else if (outcome.kind === 'restored') report.restored.push(outcome.id);
    else if (outcome.kind === 'collected') report.collected += 1;
    else if (outcome.kind === 'failed') report.failed.push(outcome.failure);
    else if (outcome.kind === 'not-submitted') report.notSubmitted.push(outcome.id);
  }
  report.inDoubt = [...inDoubt];
  report.interrupted = totals.interrupted;
  report.ephemeralApi = totals.ephemeralApi ?? false;
  report.stopReason = totals.stopReason;
  report.wallMs = totals.wallMs;
  return report;
}

export function createEmptyReport(): RunReport {
  return {
    rendered: [],
    restored: [],
    unchanged: 0,
    skipped: 0,
    removed: [],
    failed: [],
    inDoubt: [],
    notSubmitted: [],
    stopReason: null,
    collected: 0,
    secondsGenerated: 0,
    interrupted: false,
    ephemeralApi: false,
    wallMs: 0,
  };
}
