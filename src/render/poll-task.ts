import type { BachApi, TaskState } from '../api/types.js';
import type { Mode } from '../manifest/types.js';
import type { Clock } from '../util/clock.js';
import type { DurationSample } from './estimate-durations.js';
import { fixedDelay, MIN_SAMPLES, nextPollDelay, type DurationSummary } from './poll-schedule.js';

/**
 * A task that started with too little learned switches to the learned schedule only while it has had
 * at most this many polls. [decided] The per-minute cap counts every poll of the task: one polled at
 * a small fixed interval for a while would have its next poll held back by the cap for up to a
 * minute; and a task that far along gains little from the switch anyway.
 */
export const MAX_POLLS_BEFORE_LEARNED = 3;

// Polls one task until it ends. When to poll is poll-schedule.ts's decision (the fixed interval with
// jitter when nothing is learned; near the expected end when something is); this loop keeps the
// times and reports what it saw of the task's end: the bracket (low, high] from the last poll sent
// that saw it running (0, the acceptance, when none did) to the answer that saw it done — all that
// polling can observe (estimate-durations.ts turns brackets into a mean and spread without the late
// bias a single number per task had). Only tasks that succeeded are timed. Retries of a failed poll
// are the API client's business (its single retry layer), not this loop's.

export interface PollOptions {
  /** `--poll-interval` in ms: the floor between polls (and the fixed poller's interval). */
  intervalMs: number;
  signal: AbortSignal;
  clock: Clock;
  onStatus?: (state: TaskState) => void;
  /** clock.now() when the create was accepted; undefined for a task resumed from an earlier build. */
  acceptedAt?: number | undefined;
  /**
   * What is learned about tasks of this kind, asked before every poll: a task that started with too
   * little learned (the first tasks of a build's second wave) aims at the expected end as soon as its
   * first wave's tasks have ended. Undefined (or `BACH_POLL=fixed`): the fixed poller.
   */
  learned?: () => DurationSummary | undefined;
  /** In the build's last round: how many tasks its end may wait for, else 0 (poll-schedule.ts); asked before every poll. */
  lastRoundOf?: () => number;
}

export interface PollResult {
  state: TaskState;
  /** When the task ended (ms since accepted, a bracket), when its start is known and it succeeded. */
  sample: DurationSample | undefined;
  polls: number;
}

export async function pollUntilDone(api: BachApi, mode: Mode, taskId: string, options: PollOptions): Promise<PollResult> {
  const { clock, signal, acceptedAt } = options;
  const pollsAtMs: number[] = [];
  let runningUntil = 0;
  // Once on the learned schedule, always (what is learned only grows); see MAX_POLLS_BEFORE_LEARNED.
  let onLearned = false;
  const learnedNow = (): DurationSummary | undefined => {
    const learned = options.learned?.();
    if (!onLearned && learned !== undefined && learned.count >= MIN_SAMPLES && pollsAtMs.length <= MAX_POLLS_BEFORE_LEARNED) onLearned = true;
    return onLearned ? learned : undefined;
  };
  for (;;) {
    const delay =
      acceptedAt === undefined
        ? fixedDelay(options.intervalMs, clock.random())
        : nextPollDelay({ floorMs: options.intervalMs, learned: learnedNow(), lastRoundOf: options.lastRoundOf?.() ?? 0, elapsedMs: clock.now() - acceptedAt, pollsAtMs, random: clock.random() });
    await clock.sleep(delay, signal);
    const sentAt = acceptedAt === undefined ? 0 : clock.now() - acceptedAt;
    pollsAtMs.push(sentAt);
    const state = await api.getTask(mode, taskId, { signal });
    options.onStatus?.(state);
    if (state.status === 'TASK_SUCCEEDED' || state.status === 'TASK_FAILED') {
      const doneBy = acceptedAt === undefined ? undefined : clock.now() - acceptedAt;
      const sample = doneBy === undefined || state.status !== 'TASK_SUCCEEDED' ? undefined : { lowMs: runningUntil, highMs: doneBy };
      return { state, sample, polls: pollsAtMs.length };
    }
    runningUntil = sentAt;
  }
}
