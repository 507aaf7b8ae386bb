import { ApiError, isAbortError } from '../api/errors.js';
import { describeApiError } from '../api/messages.js';
import type { AcceptedEntry } from '../state/journal.js';
import type { CacheRecord } from '../state/result-cache.js';
import { collectResult, InvalidResultError } from './collect-result.js';
import { placeAndLock, type PlaceTarget } from './place-result.js';
import { summarizeDurations } from './estimate-durations.js';
import { pollUntilDone } from './poll-task.js';
import type { RunContext } from './run-context.js';
import { CODE } from '../contract/business-codes.js';
import type { TaskKind } from '../state/task-durations.js';

// From an accepted task to a placed, locked video: poll → download into the cache → drop the journal
// entry (the result is safe now) → place the output and lock it, unless the shot has moved on (then
// the result stays in the cache: it was paid for, and undoing the edit will cost nothing).
//
// The journal entry is kept whenever the task may still deliver: Ctrl-C, lost contact while polling,
// a failed download. The next build resumes it instead of paying again.

export type FollowOutcome =
  | { kind: 'done'; record: CacheRecord; placed: boolean }
  | { kind: 'interrupted' }
  | { kind: 'task-failed'; message: string }
  | { kind: 'expired'; message: string }
  | { kind: 'error'; message: string };

/**
 * `releaseSlot` gives back the concurrency slot the task held while it was on the server: called as
 * soon as polling ends, before the download, which runs under the transfer pool instead.
 * `acceptedAt`: clock.now() when this build saw the create accepted; a task resumed from an earlier
 * build has none, and is polled at the fixed interval and not timed.
 */
export async function followTask(
  context: RunContext,
  entry: AcceptedEntry,
  target: PlaceTarget & { place: boolean },
  releaseSlot: () => void,
  acceptedAt?: number,
): Promise<FollowOutcome> {
  try {
    return await pollAndCollect(context, entry, target, releaseSlot, acceptedAt);
  } finally {
    releaseSlot();
  }
}

async function pollAndCollect(
  context: RunContext,
  entry: AcceptedEntry,
  target: PlaceTarget & { place: boolean },
  releaseSlot: () => void,
  acceptedAt: number | undefined,
): Promise<FollowOutcome> {
  const { api, interrupt, emit } = context;
  const { taskId } = entry;
  const shot = target.shotId;
  const kind = taskKindOf(entry);
  let state;
  try {
    const polled = await pollUntilDone(api, entry.mode, taskId, {
      intervalMs: context.options.pollIntervalMs,
      signal: interrupt,
      clock: context.clock,
      acceptedAt,
      // `BACH_POLL=fixed`: the fixed poller, though durations are still learned for later builds.
      learned: kind && context.options.adaptivePoll ? () => context.durations.summaryFor(kind, summarizeDurations) : undefined,
      lastRoundOf: () => (context.slots.waiting < context.slots.size ? context.slots.size : 0),
      onStatus: (s) => {
        if (target.place && (s.status === 'TASK_PENDING' || s.status === 'TASK_PROCESSING')) {
          emit({ type: 'shot:status', id: shot, status: s.status === 'TASK_PENDING' ? 'pending' : 'processing', taskId });
        }
      },
    });
    state = polled.state;
    if (kind && polled.sample !== undefined) context.durations.add(kind, polled.sample);
  } catch (error) {
    if (interrupt.aborted || isAbortError(error)) return { kind: 'interrupted' };
    if (error instanceof ApiError && error.code === CODE.notFound) {
      context.journal.remove(entry);
      return { kind: 'error', message: `task ${taskId} no longer exists on the server (it was accepted earlier); the next build submits the shot again` };
    }
    return { kind: 'error', message: `lost contact while following task ${taskId}: ${describeApiError(error)}; it is recorded and the next build resumes it` };
  }
  releaseSlot();
  if (state.status === 'TASK_FAILED') return { kind: 'task-failed', message: state.message ?? 'no reason given' };
  if (!state.videoUrl) return { kind: 'error', message: `task ${taskId} succeeded without a video URL` };
  const videoUrl = state.videoUrl;
  // The create that took this task's slot (if any) goes to the server first: creates-in-flight.ts.
  await context.creates.settled(context.clock, interrupt);
  return context.transfers.run(() => downloadAndPlace(context, entry, target, videoUrl));
}

async function downloadAndPlace(context: RunContext, entry: AcceptedEntry, target: PlaceTarget & { place: boolean }, videoUrl: string): Promise<FollowOutcome> {
  const { api, interrupt, emit } = context;
  const { taskId } = entry;
  const shot = target.shotId;

  if (target.place) emit({ type: 'shot:status', id: shot, status: 'downloading', taskId });
  const collect = (videoUrl: string) =>
    collectResult({ api, cacheDir: context.paths.cache, videoUrl, shotId: entry.shotId, fingerprint: entry.fingerprint, mode: entry.mode, request: entry.request, seed: entry.seed, taskId, signal: interrupt });
  let record: CacheRecord;
  try {
    record = await collect(videoUrl).catch(async (error: unknown) => {
      // An expired result URL: ask the task again, in case the server hands out a fresh link.
      if (!(error instanceof ApiError && error.gone)) throw error;
      const fresh = await api.getTask(entry.mode, taskId, { signal: interrupt });
      if (!fresh.videoUrl) throw error;
      return collect(fresh.videoUrl);
    });
  } catch (error) {
    if (interrupt.aborted || isAbortError(error)) return { kind: 'interrupted' };
    if (error instanceof ApiError && error.gone) {
      context.journal.recordExpired(entry);
      return {
        kind: 'expired',
        message: `the result of task ${taskId} expired before it could be downloaded: it was paid for and is lost; --allow-rerender renders it again (costs ${secondsOf(entry)} s)`,
      };
    }
    if (error instanceof InvalidResultError) {
      context.journal.remove(entry);
      return { kind: 'error', message: `${error.message}; the next build submits the shot again` };
    }
    return { kind: 'error', message: `download of task ${taskId} failed: ${describeApiError(error)}; it is recorded and the next build resumes it` };
  }
  context.journal.remove(entry);
  if (!target.place || !context.isCurrent(shot, entry.fingerprint)) return { kind: 'done', record, placed: false };
  await placeAndLock(context, target, record);
  return { kind: 'done', record, placed: true };
}

/** The kind a task's duration is learned under; undefined for a request without a resolution or duration (none of ours). */
function taskKindOf(entry: AcceptedEntry): TaskKind | undefined {
  const { resolution, duration } = entry.request;
  if (typeof resolution !== 'string' || typeof duration !== 'number') return undefined;
  return { mode: entry.mode, resolution, duration };
}

function secondsOf(entry: AcceptedEntry): number {
  const duration = entry.request.duration;
  return typeof duration === 'number' ? duration : 0;
}
