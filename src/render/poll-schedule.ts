// When to poll a task next (issue 14, item 1): a pure function of what is known about tasks of its
// kind, how long this one has run, the polls it has had and the user's floor. The poll loop
// (poll-task.ts) only sleeps for what it answers; nothing here reads a clock or a file, so every rule
// below is unit-tested with plain numbers.
//
// Nothing learned (fewer than MIN_SAMPLES durations for the task's mode, resolution and duration), or
// the task's start unknown (a task resumed from an earlier build): exactly the poller bach-render
// always had — every `--poll-interval` (the floor), ±10% jitter so that tasks started together do not
// poll in lock-step.
//
// Learned: the task is expected to end after `mean` (elapsed since its create was accepted), give or
// take the spread `sd`. [decided]
//   1. the first poll. When the spread is small against the floor (sd·√(2π) < floor), a first poll
//      that comes too early costs a whole floor before the next one, so it goes where the expected
//      time from the end to the poll that finds it is least: the point past the mean where the
//      normal's density falls to 1/floor, mean + z·sd with z = √(2·ln(floor / (sd·√(2π)))) (at most
//      3) — for sd = 5 ms against a 100 ms floor, mean + 10 ms, and about 1 task in 50 needs a second
//      poll. Otherwise at mean − sd: before most tasks end (a uniform ±30% spread puts about one task
//      in five earlier), late enough that the polls spent before the end are few; moved a little
//      later (by floor/2 × (1 − sd/floor)) while the spread is below the floor;
//   2. then at a short interval until the window of likely ends is over (the longest time seen, or
//      mean + 2·sd, and at least two intervals after the first poll): the floor, or a sixth of the
//      window if that is longer, so the window never takes more than about 7 polls;
//   3. then back off geometrically (×2 per poll) up to 10 s, the API's advice, or the floor if larger:
//      a task that overruns everything seen (a queue on the server) is still found, without hammering.
// Limits on every answer, whatever the learned numbers say:
//   - never sooner than the floor after the previous poll (or after the create was accepted): the
//     user's `--poll-interval` is a floor, not a target;
//   - never more than MAX_POLLS_PER_MINUTE (12) polls of one task in any 60 s: at the default 10 s floor
//     the short interval can never reach it (6 a minute); with a small floor (the bench's 1 s) it
//     bounds a task that keeps running past its window to one poll per 5 s on average.
// The fixed poller is not capped: it polls at the interval the user chose, as before.

import type { DurationSummary } from './estimate-durations.js';

export type { DurationSummary } from './estimate-durations.js';

export interface PollScheduleInput {
  /** `--poll-interval` in ms: the shortest time between two polls of a task. */
  floorMs: number;
  /** What is known about tasks of this kind; undefined when nothing is. */
  learned: DurationSummary | undefined;
  /** Ms since the task's create was accepted; undefined when that moment is unknown (resumed task). */
  elapsedMs: number | undefined;
  /** Elapsed times (ms since accepted) at which this task's polls were sent, oldest first. */
  pollsAtMs: readonly number[];
  /** A number in [0, 1) for the fixed poller's jitter. */
  random: number;
  /**
   * In the build's last round (fewer shots wait for a slot than there are slots): how many tasks its
   * end may wait for (the slots). Its end waits for the slowest of them, so a first poll of any of
   * them that comes too early costs the whole build a floor; such a task aims its first poll later
   * (rule 1). 0 or undefined: not the last round.
   */
  lastRoundOf?: number;
}

/** Fewer learned durations than this and the poller stays fixed: one or two tasks say little about a spread. */
export const MIN_SAMPLES = 3;
/** The documented cap: polls of one task in any 60 s, whatever the schedule (adaptive only). */
export const MAX_POLLS_PER_MINUTE = 12;
/** The API's advised poll interval: where the back-off stops (or at the floor, when that is larger). */
export const BACKOFF_CEILING_MS = 10_000;
/** Polls the window of likely ends is divided into at most: with the first and the back-off, under the cap. */
const SHORT_POLLS = 6;
const MINUTE_MS = 60_000;

/** Ms to wait before the next poll of a task. */
export function nextPollDelay(input: PollScheduleInput): number {
  const { floorMs, learned, elapsedMs, pollsAtMs } = input;
  if (!learned || learned.count < MIN_SAMPLES || elapsedMs === undefined) return fixedDelay(floorMs, input.random);

  const previous = pollsAtMs.length > 0 ? pollsAtMs[pollsAtMs.length - 1]! : 0;
  const { meanMs, sdMs } = learned;
  const firstAt = Math.max(firstPollAt(meanMs, sdMs, floorMs, input.lastRoundOf), floorMs);
  const windowEnd = Math.max(learned.maxMs, meanMs + 2 * sdMs, firstAt + 2 * floorMs);
  const shortInterval = Math.max(floorMs, (windowEnd - firstAt) / SHORT_POLLS);
  let target: number;
  // Polls before the first one's time were the fixed poller's (the task started with too little learned).
  if (pollsAtMs.length === 0 || previous < firstAt) target = firstAt;
  else if (previous < windowEnd) target = previous + shortInterval;
  else {
    const pastWindow = pollsAtMs.filter((at) => at >= windowEnd).length;
    target = previous + Math.min(Math.max(BACKOFF_CEILING_MS, floorMs), floorMs * 2 ** pastWindow);
  }
  target = Math.max(target, previous + floorMs);
  // The per-minute cap: the poll MAX_POLLS_PER_MINUTE back must be a minute old by then.
  if (pollsAtMs.length >= MAX_POLLS_PER_MINUTE) target = Math.max(target, pollsAtMs[pollsAtMs.length - MAX_POLLS_PER_MINUTE]! + MINUTE_MS);
  return Math.max(0, target - elapsedMs);
}

/**
 * Where the first poll of a task aims (whole ms since accepted), before the floor: rule 1 above. In the
 * last round of `lastRoundOf` tasks, the build's end waits for the slowest of them, and any one found a
 * floor late delays it by that floor: with n tasks the chance that one of them needs a second poll is
 * about n times one task's, so the least-wait point is taken for a miss costing n floors (the density
 * 1/(n·floor)). [decided] For a 10 ms spread, 8 tasks and a 0.1 s floor: mean + 26 ms instead of + 17 ms,
 * and one of the eight needs a second poll about 1 time in 30 instead of 1 in 3.
 */
export function firstPollAt(meanMs: number, sdMs: number, floorMs: number, lastRoundOf = 0): number {
  const density = sdMs * Math.sqrt(2 * Math.PI);
  const missCost = floorMs * Math.max(1, lastRoundOf);
  if (density < floorMs) return Math.round(meanMs + Math.min(3, Math.sqrt(2 * Math.log(missCost / density))) * sdMs);
  return Math.round(meanMs - sdMs + (floorMs / 2) * Math.max(0, 1 - sdMs / floorMs));
}

/** Today's poller: the floor with ±10% jitter (at least 10 ms). */
export function fixedDelay(floorMs: number, random: number): number {
  const jitter = 1 + (random * 0.2 - 0.1);
  return Math.max(10, floorMs * jitter);
}
