import { ApiError, isAbortError } from '../api/errors.js';
import { describeApiError } from '../api/messages.js';
import type { ShotPlan } from '../plan/types.js';
import type { JournalEntry } from '../state/journal.js';
import { SubmitterGoneError } from '../submitter/host.js';
import { followTask } from './follow-task.js';
import { failShot, markInDoubt, type RunContext } from './run-context.js';
import { buildWireBody } from './wire-body.js';

// One shot that needs a new (paid) render, or a task already paid for to resume.
//
// Money rules, in order of appearance below:
//   - nothing is submitted after Ctrl-C, or once credits ran out or the keys were rejected;
//   - the journal records the submission before the request leaves, and the submitter process
//     records the task id the moment it is accepted (see state/journal.ts, submitter/host.ts);
//   - a create whose outcome is unknown is retried at most once by the client; if it stays unknown the
//     shot fails for this build and is reported as "may have been billed twice" (its journal entry is
//     kept, so the next build reports it again when it submits);
//   - TASK_FAILED is re-submitted up to --retries times; an expired result only with --allow-rerender.

const STOPPING_CODES: Record<number, string> = {
  1302: 'insufficient credits (top up your credit package, then build again: what finished is kept)',
  1100: 'the API rejected the keys (check BACH_ACCESS_KEY and BACH_SECRET_KEY)',
  1101: 'the API rejected the keys (check BACH_ACCESS_KEY and BACH_SECRET_KEY)',
  1102: "the API rejected the token's time (check this computer's clock)",
};

/**
 * `earlierInDoubt`: submissions of this very request by an earlier build that was stopped before
 * their outcome was known. They may have been billed; submitting again is the only way to get the
 * video, so the shot is reported as possibly billed twice.
 */
export async function renderShot(context: RunContext, plan: ShotPlan, earlierInDoubt: readonly JournalEntry[] = []): Promise<void> {
  const { shot } = plan;
  if (plan.needsRerenderConsent && !context.options.allowRerender) {
    failShot(context, {
      id: shot.id,
      message: `not rendered again: ${plan.reasons.find((r) => r.kind === 'result-expired')?.text ?? 'its paid result was lost'}; pass --allow-rerender to pay for it again (${shot.duration} s)`,
      paidButLost: true,
    });
    return;
  }
  if (plan.needsRerenderConsent) removeExpiredEntries(context, plan.fingerprint);
  let failures = 0;
  let rerenders = 0;
  for (;;) {
    if (context.interrupt.aborted || context.stop.reason) {
      context.report.notSubmitted.push(shot.id);
      return;
    }
    let body;
    try {
      context.emit({ type: 'shot:status', id: shot.id, status: 'uploading' });
      body = await buildWireBody(context, plan);
    } catch (error) {
      if (context.interrupt.aborted) {
        context.report.notSubmitted.push(shot.id);
        return;
      }
      failShot(context, { id: shot.id, message: `shot ${shot.id}: ${(error as Error).message}` });
      return;
    }
    const release = await context.slots.acquire();
    if (context.interrupt.aborted || context.stop.reason) {
      release();
      context.report.notSubmitted.push(shot.id);
      return;
    }
    // Edited since this build planned it (watch mode): paying for the old version now would buy a
    // video nobody wants; the next run plans the new one.
    if (!context.isCurrent(shot.id, plan.fingerprint)) {
      release();
      context.emit({ type: 'notice', level: 'info', message: `${shot.id} changed while waiting to be submitted: left to the next run` });
      return;
    }
    const entry = await submit(context, plan, body, earlierInDoubt);
    if (!entry) {
      release();
      return;
    }
    earlierInDoubt = [];
    const outcome = await followTask(context, entry, { ...targetOf(plan), place: true }, release);
    if (outcome.kind === 'done') {
      if (outcome.placed) {
        context.report.rendered.push(shot.id);
        context.report.secondsGenerated += shot.duration;
        context.emit({ type: 'shot:done', id: shot.id, how: 'rendered', output: plan.outputPath, taskId: entry.taskId!, seconds: shot.duration });
      } else {
        context.report.collected += 1;
        context.emit({ type: 'shot:collected', id: shot.id, taskId: entry.taskId!, note: 'changed while rendering: the result is kept in the cache' });
      }
      return;
    }
    if (outcome.kind === 'interrupted') return;
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
    failShot(context, { id: shot.id, message, taskId: entry.taskId!, ...(outcome.kind === 'expired' ? { paidButLost: true } : {}) }, retry && !context.interrupt.aborted);
    if (!retry || context.interrupt.aborted) return;
  }
}

/** Resumes a task a previous (interrupted) build paid for. */
export async function resumeShot(context: RunContext, plan: ShotPlan, entry: JournalEntry): Promise<void> {
  if (entry.inDoubt) markInDoubt(context, plan.shot.id);
  const release = await context.slots.acquire();
  if (context.interrupt.aborted) return release();
  context.emit({ type: 'shot:status', id: plan.shot.id, status: 'pending', taskId: entry.taskId! });
  const outcome = await followTask(context, entry, { ...targetOf(plan), place: true }, release);
  if (outcome.kind === 'done') {
    context.report.rendered.push(plan.shot.id);
    context.report.secondsGenerated += plan.shot.duration;
    context.emit({ type: 'shot:done', id: plan.shot.id, how: 'rendered', output: plan.outputPath, taskId: entry.taskId!, seconds: plan.shot.duration });
    return;
  }
  if (outcome.kind === 'interrupted') return;
  if (outcome.kind === 'task-failed') {
    context.journal.remove(entry);
    // This build's plan counted the resumed task as free; a new submission would cost, so it is left
    // to the next build, whose plan shows the cost.
    failShot(context, { id: plan.shot.id, message: `task ${entry.taskId} failed: ${outcome.message}; the next build submits it again (costs ${plan.shot.duration} s)`, taskId: entry.taskId! });
    return;
  }
  failShot(context, { id: plan.shot.id, message: outcome.message, taskId: entry.taskId!, ...(outcome.kind === 'expired' ? { paidButLost: true } : {}) });
}

async function submit(
  context: RunContext,
  plan: ShotPlan,
  body: Awaited<ReturnType<typeof buildWireBody>>,
  earlierInDoubt: readonly JournalEntry[],
): Promise<JournalEntry | null> {
  const { shot } = plan;
  context.emit({ type: 'shot:status', id: shot.id, status: 'submitting' });
  const carried = earlierInDoubt.length > 0;
  const entry = context.journal.recordSubmitting({
    shotId: shot.id,
    fingerprint: plan.fingerprint,
    mode: shot.mode,
    request: plan.request,
    seed: plan.seed,
    ...(carried ? { inDoubt: true } : {}),
  });
  // The new record carries the doubt; the old ones can go.
  for (const earlier of earlierInDoubt) context.journal.remove(earlier);
  if (carried) markInDoubt(context, shot.id);
  try {
    const { created, entry: accepted } = await context.submitter.createTask(shot.mode, body, entry, context.hardStop);
    if (accepted.inDoubt) markInDoubt(context, shot.id);
    context.emit({ type: 'shot:status', id: shot.id, status: 'pending', taskId: created.taskId });
    return accepted;
  } catch (error) {
    // Interrupted while the request is with the submitter: it records the outcome on its own (an
    // accepted task resumes next build; an unknown one is reported there).
    if (isAbortError(error)) return null;
    // The submitter removed the record of a request that certainly created nothing; it kept it when
    // the outcome is unknown — then the task may exist and be billed.
    if (error instanceof SubmitterGoneError || (error instanceof ApiError && error.inDoubt)) markInDoubt(context, shot.id);
    const code = error instanceof ApiError ? error.code : undefined;
    if (code !== undefined && STOPPING_CODES[code] && !context.stop.reason) context.stop.reason = STOPPING_CODES[code]!;
    failShot(context, {
      id: shot.id,
      message: describeApiError(error, { shotId: shot.id, duration: shot.duration, resolution: shot.resolution }),
    });
    return null;
  }
}

function removeExpiredEntries(context: RunContext, fingerprint: string): void {
  for (const entry of context.journal.readAll().entries) {
    if (entry.state === 'expired' && entry.fingerprint === fingerprint) context.journal.remove(entry);
  }
}

function targetOf(plan: ShotPlan) {
  return { shotId: plan.shot.id, fingerprint: plan.fingerprint, mode: plan.shot.mode, request: plan.request, seed: plan.seed, outputPath: plan.outputPath };
}
