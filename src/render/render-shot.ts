import { imagesOf } from '../plan/create-plan.js';
import { ApiError, isAbortError } from '../api/errors.js';
import { describeApiError } from '../api/messages.js';
import { CODE } from '../contract/business-codes.js';
import type { RequestBody } from '../contract/create-request.js';
import type { InFlightShotPlan, RenderShotPlan, ShotPlan } from '../plan/types.js';
import type { AcceptedEntry, SendingEntry } from '../state/journal.js';
import { SubmitterGoneError } from '../submitter/host.js';
import { describeWorkerError } from './describe-worker-error.js';
import { followTask } from './follow-task.js';
import type { PlaceTarget } from './place-result.js';
import { failShot, recordInDoubt, type RunContext } from './run-context.js';
import type { ShotOutcome } from './run-report.js';
import { buildWireBody } from './wire-body.js';

// One shot that needs a new (paid) render, or a task already paid for to resume. Each returns the
// shot's outcome; the executor folds them into the run report.
//
// Money rules, in order of appearance below:
//   - nothing is submitted after Ctrl-C, or once credits ran out or the keys were rejected;
//   - the journal records the submission before the request leaves, and the submitter process
//     records the task id the moment it is accepted (see state/journal.ts, submitter/host.ts);
//   - a create whose outcome is unknown is retried at most once by the client; if it stays unknown the
//     shot fails for this build and is reported as "may have been billed twice" (its journal entry is
//     kept, so the next build reports it again when it submits);
//   - TASK_FAILED is re-submitted up to --retries times; an expired result only with --allow-rerender,
//     and once.

/** Codes after which no further shot is submitted in this build: it would fail the same way, or cost. */
const STOPPING_CODES: ReadonlyMap<number, string> = new Map([
  [CODE.insufficientCredits, 'insufficient credits (top up your credit package, then build again: what finished is kept)'],
  [CODE.authFailed, 'the API rejected the keys (check BACH_ACCESS_KEY and BACH_SECRET_KEY)'],
  [CODE.authMissing, 'the API rejected the keys (check BACH_ACCESS_KEY and BACH_SECRET_KEY)'],
  [CODE.tokenNotYetValid, "the API rejected the token's time (check this computer's clock)"],
]);

/**
 * A failure that will hit every shot stops new submissions at its first certain occurrence (issue 15,
 * item 2): the business codes above, and a connection that could not be made at all after the retry
 * policy's attempts (refused, host not found, unreachable) — certain, because the request never left,
 * so every other request to the same address fails the same way. Timeouts and dropped connections
 * are not certain (a slow server may answer the next one) and stop nothing.
 */
function stoppingReason(error: ApiError, origin: string): string | undefined {
  if (error.code !== undefined) return STOPPING_CODES.get(error.code);
  if (error.kind === 'network' && error.outcome === 'not-sent') {
    return `the Bach API at ${origin} cannot be reached (${error.message}): check the network, and BACH_BASE_URL or --base-url`;
  }
  return undefined;
}

/** Tracks whether a shot's create may have been billed twice: recorded at once, reported in its outcome. */
interface Doubt {
  mark(): void;
  readonly seen: boolean;
}

function trackDoubt(context: RunContext, shotId: string): Doubt {
  let seen = false;
  return {
    mark() {
      if (seen) return;
      seen = true;
      recordInDoubt(context, shotId);
    },
    get seen() {
      return seen;
    },
  };
}

/**
 * `earlierInDoubt`: submissions of this very request by an earlier build that was stopped before
 * their outcome was known. They may have been billed; submitting again is the only way to get the
 * video, so the shot is reported as possibly billed twice.
 */
export async function renderShot(context: RunContext, plan: RenderShotPlan, earlierInDoubt: readonly SendingEntry[] = []): Promise<ShotOutcome> {
  const doubt = trackDoubt(context, plan.shot.id);
  const outcome = await renderUntilSettled(context, plan, earlierInDoubt, doubt);
  return doubt.seen ? { ...outcome, inDoubt: true } : outcome;
}

async function renderUntilSettled(context: RunContext, plan: RenderShotPlan, earlierInDoubt: readonly SendingEntry[], doubt: Doubt): Promise<ShotOutcome> {
  const { shot } = plan;
  const id = shot.id;
  if (plan.needsRerenderConsent && !context.options.allowRerender) {
    return failShot(context, {
      id,
      message: `not rendered again: ${plan.reasons.find((r) => r.kind === 'result-expired')?.text ?? 'its paid result was lost'}; pass --allow-rerender to pay for it again (${shot.duration} s)`,
      paidButLost: true,
    });
  }
  if (plan.needsRerenderConsent) removeExpiredEntries(context, plan.fingerprint);
  let failures = 0;
  let rerenders = 0;
  for (;;) {
    if (context.interrupt.aborted || context.stop.reason) return { id, kind: 'not-submitted' };
    let body: RequestBody;
    try {
      // "uploading" only for a shot that waits for images of its own; then "queued" until a slot is free.
      if (imagesOf(shot).some((ref) => ref.kind === 'file')) context.emit({ type: 'shot:status', id, status: 'uploading' });
      // After a failed task, its images are checked again: an expired upload URL fails every retry.
      body = await buildWireBody(context, plan, { recheck: failures > 0 });
      context.emit({ type: 'shot:status', id, status: 'queued' });
    } catch (error) {
      if (context.interrupt.aborted) return { id, kind: 'not-submitted' };
      return failShot(context, describeWorkerError(id, error));
    }
    const release = await context.slots.acquire();
    if (context.interrupt.aborted || context.stop.reason) {
      release();
      return { id, kind: 'not-submitted' };
    }
    // Edited since this build planned it (watch mode): paying for the old version now would buy a
    // video nobody wants; the next run plans the new one.
    if (!context.isCurrent(id, plan.fingerprint)) {
      release();
      context.emit({ type: 'notice', level: 'info', message: `${id} changed while waiting to be submitted: left to the next run` });
      return { id, kind: 'left' };
    }
    const submitted = await submit(context, plan, body, earlierInDoubt, doubt);
    if (submitted.kind !== 'accepted') {
      release();
      return submitted.outcome;
    }
    const { entry } = submitted;
    const acceptedAt = context.clock.now() - submitted.answeredAgoMs;
    earlierInDoubt = [];
    const outcome = await followTask(context, entry, { ...targetOf(plan), place: true }, release, acceptedAt);
    if (outcome.kind === 'done') {
      if (outcome.placed) {
        context.emit({ type: 'shot:done', id, how: 'rendered', output: plan.outputPath, taskId: entry.taskId, seconds: shot.duration });
        return { id, kind: 'rendered', seconds: shot.duration };
      }
      context.emit({ type: 'shot:collected', id, taskId: entry.taskId, note: 'changed while rendering: the result is kept in the cache' });
      return { id, kind: 'collected' };
    }
    if (outcome.kind === 'interrupted') return { id, kind: 'left' };
    const retry =
      (outcome.kind === 'task-failed' && failures < context.options.retries) ||
      (outcome.kind === 'expired' && context.options.allowRerender && rerenders < 1);
    if (outcome.kind === 'task-failed') {
      context.journal.remove(entry);
      failures += 1;
    }
    if (outcome.kind === 'expired' && retry) {
      context.journal.remove(entry);
      rerenders += 1;
    }
    const message =
      outcome.kind === 'task-failed'
        ? `task ${entry.taskId} failed: ${outcome.message}${failures > 1 ? ` (${failures} attempts)` : ''}`
        : outcome.message;
    const failure = { id, message, taskId: entry.taskId, ...(outcome.kind === 'expired' ? { paidButLost: true } : {}) };
    if (!retry || context.interrupt.aborted) return failShot(context, failure);
    context.emit({ type: 'shot:failed', id, message, taskId: entry.taskId, willRetry: true });
  }
}

/** Resumes a task a previous (interrupted) build paid for. */
export async function resumeShot(context: RunContext, plan: InFlightShotPlan, entry: AcceptedEntry): Promise<ShotOutcome> {
  const id = plan.shot.id;
  if (entry.inDoubt) recordInDoubt(context, id);
  const outcome = await followResumed(context, plan, entry);
  return entry.inDoubt ? { ...outcome, inDoubt: true } : outcome;
}

async function followResumed(context: RunContext, plan: InFlightShotPlan, entry: AcceptedEntry): Promise<ShotOutcome> {
  const id = plan.shot.id;
  const release = await context.slots.acquire();
  if (context.interrupt.aborted) {
    release();
    return { id, kind: 'left' };
  }
  context.emit({ type: 'shot:status', id, status: 'pending', taskId: entry.taskId });
  const outcome = await followTask(context, entry, { ...targetOf(plan), place: true }, release);
  if (outcome.kind === 'done') {
    context.emit({ type: 'shot:done', id, how: 'rendered', output: plan.outputPath, taskId: entry.taskId, seconds: plan.shot.duration });
    return { id, kind: 'rendered', seconds: plan.shot.duration };
  }
  if (outcome.kind === 'interrupted') return { id, kind: 'left' };
  if (outcome.kind === 'task-failed') {
    context.journal.remove(entry);
    // This build's plan counted the resumed task as free; a new submission would cost, so it is left
    // to the next build, whose plan shows the cost.
    return failShot(context, { id, message: `task ${entry.taskId} failed: ${outcome.message}; the next build submits it again (costs ${plan.shot.duration} s)`, taskId: entry.taskId });
  }
  return failShot(context, { id, message: outcome.message, taskId: entry.taskId, ...(outcome.kind === 'expired' ? { paidButLost: true } : {}) });
}

/** `answeredAgoMs`: how long before now the API accepted it (what the task is timed from; SubmitResult says why). */
type Submitted = { kind: 'accepted'; entry: AcceptedEntry; answeredAgoMs: number } | { kind: 'settled'; outcome: ShotOutcome };

/** Longer ago than this, the two processes' clocks disagree (a clock step): the task is timed from now. [decided] */
const MAX_ANSWERED_AGO_MS = 5_000;

async function submit(context: RunContext, plan: RenderShotPlan, body: RequestBody, earlierInDoubt: readonly SendingEntry[], doubt: Doubt): Promise<Submitted> {
  const { shot } = plan;
  context.emit({ type: 'shot:status', id: shot.id, status: 'submitting' });
  const carried = earlierInDoubt.length > 0;
  const entry = context.journal.recordSubmitting({
    shotId: shot.id,
    fingerprint: plan.fingerprint,
    mode: plan.mode,
    request: plan.request,
    seed: plan.seed,
    ...(carried ? { inDoubt: true } : {}),
    ...(context.ephemeralApi ? { ephemeral: true as const } : {}),
  });
  // The new record carries the doubt; the old ones can go.
  for (const earlier of earlierInDoubt) context.journal.remove(earlier);
  if (carried) doubt.mark();
  try {
    const { created, entry: accepted, unrecorded, answeredAgoMs = 0 } = await context.creates.track(context.submitter.createTask(shot.mode, body, entry, context.hardStop));
    if (accepted.inDoubt) doubt.mark();
    if (unrecorded) {
      // Billed, and only this build knows the id: it follows the task as usual; should it stop before
      // the result is safe, the journal still says `sending`, so the next build reports the shot as
      // possibly billed twice rather than paying silently (issue 16, item 2).
      doubt.mark();
      context.emit({ type: 'notice', level: 'warn', message: `${shot.id}: ${unrecorded}; following it in this build — free disk space so its result can be kept` });
    }
    context.emit({ type: 'shot:submitted', id: shot.id, taskId: created.taskId, seconds: shot.duration });
    context.emit({ type: 'shot:status', id: shot.id, status: 'pending', taskId: created.taskId });
    return { kind: 'accepted', entry: accepted, answeredAgoMs: answeredAgoMs <= MAX_ANSWERED_AGO_MS ? answeredAgoMs : 0 };
  } catch (error) {
    // Interrupted while the request is with the submitter: it records the outcome on its own (an
    // accepted task resumes next build; an unknown one is reported there).
    if (isAbortError(error)) return { kind: 'settled', outcome: { id: shot.id, kind: 'left' } };
    // The submitter removed the record of a request that certainly created nothing; it kept it when
    // the outcome is unknown — then the task may exist and be billed.
    if (error instanceof SubmitterGoneError || (error instanceof ApiError && error.inDoubt)) doubt.mark();
    const stopping = error instanceof ApiError ? stoppingReason(error, context.apiOrigin) : undefined;
    if (stopping && !context.stop.reason) context.stop.reason = stopping;
    const message = describeApiError(error, { shotId: shot.id, duration: shot.duration, resolution: shot.resolution });
    return { kind: 'settled', outcome: failShot(context, { id: shot.id, message }) };
  }
}

function removeExpiredEntries(context: RunContext, fingerprint: string): void {
  for (const entry of context.journal.list().entries) {
    if (entry.state === 'expired' && entry.fingerprint === fingerprint) context.journal.remove(entry);
  }
}

function targetOf(plan: ShotPlan): PlaceTarget {
  return { shotId: plan.shot.id, fingerprint: plan.fingerprint, mode: plan.mode, request: plan.request, seed: plan.seed, outputPath: plan.outputPath };
}
