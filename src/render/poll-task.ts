import type { BachApi, TaskState } from '../api/types.js';
import type { Mode } from '../manifest/types.js';
import type { Clock } from '../util/clock.js';
import { fixedDelay, nextPollDelay, type DurationSummary } from './poll-schedule.js';

// Polls one task until it ends. When to poll is poll-schedule.ts's decision (the fixed interval with
// jitter when nothing is learned; near the expected end when something is); this loop keeps the
// times and measures the task: from the create accepted to the first answer that says it ended,
// taken as the midpoint of the bracket [last poll sent that saw it running, the answer that saw it
// done] — the end lies somewhere in it, and the midpoint is off by at most half its width whichever
// way. [decided] A task already done at its first poll has no lower end: it is recorded at that
// answer, an upper bound. The midpoint with the acceptance would teach a duration of about half the
// real one (the adaptive poller's first poll comes late), and leaving such tasks out would teach
// only the slow ones; the upper bound errs by little and settles (the first poll moves a little
// later, and fewer tasks end before it). Only tasks that succeeded are timed. Retries of a failed poll are the API client's business (its single
// retry layer), not this loop's.

export interface PollOptions {
  /** `--poll-interval` in ms: the floor between polls (and the fixed poller's interval). */
  intervalMs: number;
  signal: AbortSignal;
  clock: Clock;
  onStatus?: (state: TaskState) => void;
  /** clock.now() when the create was accepted; undefined for a task resumed from an earlier build. */
  acceptedAt?: number | undefined;
  /** What is learned about tasks of this kind; undefined (or `fixed`): the fixed poller. */
  learned?: DurationSummary | undefined;
}

export interface PollResult {
  state: TaskState;
  /** How long the task took (ms from accepted to done), when its start is known. */
  durationMs: number | undefined;
  polls: number;
}

export async function pollUntilDone(api: BachApi, mode: Mode, taskId: string, options: PollOptions): Promise<PollResult> {
  const { clock, signal, acceptedAt } = options;
  const pollsAtMs: number[] = [];
  let runningSince: number | undefined;
  for (;;) {
    const delay =
      acceptedAt === undefined
        ? fixedDelay(options.intervalMs, clock.random())
        : nextPollDelay({ floorMs: options.intervalMs, learned: options.learned, elapsedMs: clock.now() - acceptedAt, pollsAtMs, random: clock.random() });
    await clock.sleep(delay, signal);
    const sentAt = acceptedAt === undefined ? 0 : clock.now() - acceptedAt;
    pollsAtMs.push(sentAt);
    const state = await api.getTask(mode, taskId, { signal });
    options.onStatus?.(state);
    if (state.status === 'TASK_SUCCEEDED' || state.status === 'TASK_FAILED') {
      const doneBy = acceptedAt === undefined ? undefined : clock.now() - acceptedAt;
      const durationMs = doneBy === undefined || state.status !== 'TASK_SUCCEEDED' ? undefined : runningSince === undefined ? doneBy : (runningSince + doneBy) / 2;
      return { state, durationMs, polls: pollsAtMs.length };
    }
    runningSince = sentAt;
  }
}
