import { describe, expect, it } from 'vitest';
import { BACKOFF_CEILING_MS, firstPollAt, fixedDelay, MAX_POLLS_PER_MINUTE, MIN_SAMPLES, nextPollDelay, type DurationSummary } from '../../../src/render/poll-schedule.js';

// The adaptive poll schedule (issue 14, item 1) as plain numbers: a simulated task on a fake clock
// (a number that only this loop moves) asks nextPollDelay when to poll, and the test looks at
// when the polls fell.

/** Polls of a task that ends `endMs` after acceptance: the elapsed times the polls were sent. */
function simulate(options: { endMs: number; floorMs: number; learned: DurationSummary | undefined; random?: number; maxPolls?: number }): number[] {
  let now = 0;
  const pollsAtMs: number[] = [];
  while (pollsAtMs.length < (options.maxPolls ?? 1000)) {
    now += nextPollDelay({ floorMs: options.floorMs, learned: options.learned, elapsedMs: now, pollsAtMs, random: options.random ?? 0.5 });
    pollsAtMs.push(now);
    if (now >= options.endMs) break;
  }
  return pollsAtMs;
}

const LEARNED: DurationSummary = { count: 32, meanMs: 6_000, sdMs: 1_040, maxMs: 7_800 };

describe('nextPollDelay', () => {
  it('with nothing learned polls at the fixed interval with ±10% jitter, as before adaptive polling', () => {
    for (const random of [0, 0.25, 0.5, 0.999]) {
      const input = { floorMs: 10_000, learned: undefined, elapsedMs: 0, pollsAtMs: [], random };
      expect(nextPollDelay(input)).toBe(fixedDelay(10_000, random));
      expect(nextPollDelay({ ...input, elapsedMs: 35_000, pollsAtMs: [10_000, 20_000, 30_000] })).toBe(fixedDelay(10_000, random));
    }
    expect(fixedDelay(10_000, 0)).toBe(9_000);
    expect(fixedDelay(10_000, 0.5)).toBe(10_000);
    expect(fixedDelay(10_000, 0.99999)).toBeCloseTo(11_000, 0);
    expect(simulate({ endMs: 6_500, floorMs: 1_000, learned: undefined })).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000]);
  });

  it(`stays fixed with fewer than ${MIN_SAMPLES} durations learned, or when the task's start is unknown`, () => {
    const few = { ...LEARNED, count: MIN_SAMPLES - 1 };
    expect(nextPollDelay({ floorMs: 1_000, learned: few, elapsedMs: 0, pollsAtMs: [], random: 0.5 })).toBe(1_000);
    expect(nextPollDelay({ floorMs: 1_000, learned: LEARNED, elapsedMs: undefined, pollsAtMs: [], random: 0.5 })).toBe(1_000);
  });

  it('learned: polls first at the expected end minus the spread, then at the floor until the task ends', () => {
    expect(nextPollDelay({ floorMs: 1_000, learned: LEARNED, elapsedMs: 0, pollsAtMs: [], random: 0.5 })).toBe(4_960);
    expect(simulate({ endMs: 4_500, floorMs: 1_000, learned: LEARNED })).toEqual([4_960]);
    expect(simulate({ endMs: 6_500, floorMs: 1_000, learned: LEARNED })).toEqual([4_960, 5_960, 6_960]);
    // The bench's tasks (6 s ± 30%, uniform) take about 2.5 polls each on average (the target: 3), against 6.5 at a fixed 1 s.
    const ends = Array.from({ length: 360 }, (_, i) => 4_200 + i * 10);
    const mean = ends.map((endMs) => simulate({ endMs, floorMs: 1_000, learned: LEARNED }).length).reduce((a, b) => a + b) / ends.length;
    expect(mean).toBeLessThan(2.6);
  });

  it('never polls sooner than the floor after the previous poll or the acceptance', () => {
    const tight: DurationSummary = { count: 10, meanMs: 3_000, sdMs: 2_900, maxMs: 9_000 };
    // mean − sd is 100 ms: the floor of 10 s wins.
    expect(nextPollDelay({ floorMs: 10_000, learned: tight, elapsedMs: 0, pollsAtMs: [], random: 0.5 })).toBe(10_000);
    for (const endMs of [1_000, 20_000, 95_000, 400_000]) {
      const polls = simulate({ endMs, floorMs: 10_000, learned: { count: 10, meanMs: 60_000, sdMs: 10_000, maxMs: 80_000 } });
      expect(polls[0]).toBeGreaterThanOrEqual(10_000);
      for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(10_000);
    }
  });

  it(`never polls one task more than ${MAX_POLLS_PER_MINUTE} times in any 60 s`, () => {
    // A floor of 100 ms: a window of 3 s in short polls, then a back-off from 200 ms would make 15 in the first minute.
    const learned: DurationSummary = { count: 10, meanMs: 3_000, sdMs: 1_000, maxMs: 5_000 };
    const polls = simulate({ endMs: 200_000, floorMs: 100, learned });
    for (const at of polls) expect(polls.filter((p) => p > at - 60_000 && p <= at).length).toBeLessThanOrEqual(MAX_POLLS_PER_MINUTE);
    expect(polls.length).toBeGreaterThan(MAX_POLLS_PER_MINUTE); // the cap delays polls, it never stops them
    // The 13th poll waits until the first is a minute old.
    expect(polls[MAX_POLLS_PER_MINUTE]).toBe(polls[0]! + 60_000);
    const twelve = Array.from({ length: MAX_POLLS_PER_MINUTE }, (_, i) => 2_000 + i * 100);
    expect(nextPollDelay({ floorMs: 100, learned, elapsedMs: 3_200, pollsAtMs: twelve, random: 0.5 })).toBe(2_000 + 60_000 - 3_200);
  });

  it('with a spread small against the floor, polls first just after the expected end (most tasks are found at once)', () => {
    const steady: DurationSummary = { count: 10, meanMs: 1_000, sdMs: 10, maxMs: 1_020 };
    const first = nextPollDelay({ floorMs: 100, learned: steady, elapsedMs: 0, pollsAtMs: [], random: 0.5 });
    expect(first).toBeGreaterThan(1_000);
    expect(first).toBeLessThanOrEqual(1_020);
    // Then the floor, for at least two intervals, before any back-off.
    expect(simulate({ endMs: 1_150, floorMs: 100, learned: steady }).map((at) => at - first)).toEqual([0, 100, 200]);
  });

  it('with a small spread, the first poll goes where the expected wait from the end to its discovery is least', () => {
    // A poll at t finds a normal(mean, sd) end after t − D, or one floor later when it came too
    // early: t − mean + floor·P(D > t) on average, least where the density is 1/floor.
    const expectedWait = (t: number, mean: number, sd: number, floor: number) => {
      let sum = 0;
      for (let z = -6; z <= 6; z += 0.001) {
        const d = mean + z * sd;
        const weight = (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * 0.001;
        sum += weight * (d <= t ? t - d : t + floor - d);
      }
      return sum;
    };
    for (const [sd, floor] of [[5, 100], [10, 100], [20, 100], [300, 10_000]] as const) {
      const best = firstPollAt(1_000, sd, floor);
      expect(best).toBeGreaterThan(1_000);
      for (const other of [best - 2 * sd, best - sd / 2, best + sd / 2, best + 2 * sd]) expect(expectedWait(best, 1_000, sd, floor)).toBeLessThan(expectedWait(other, 1_000, sd, floor));
    }
    // sd = 5 ms against a 100 ms floor: about 10 ms past the mean.
    expect(firstPollAt(1_000, 5, 100)).toBe(1_010);
    // A spread as large as the floor: before the mean, as before (the bench's 6 s ± 30% at a 1 s floor).
    expect(firstPollAt(6_000, 1_040, 1_000)).toBe(4_960);
  });

  it('backs off geometrically past the window of likely ends, up to 10 s (or the floor)', () => {
    // Window ends at max(7.8 s, 6 + 2 × 1.04 = 8.08 s).
    const polls = simulate({ endMs: 60_000, floorMs: 1_000, learned: LEARNED });
    const gaps = polls.slice(1).map((at, i) => at - polls[i]!);
    expect(polls.slice(0, 5)).toEqual([4_960, 5_960, 6_960, 7_960, 8_960]);
    expect(gaps.slice(4, 9)).toEqual([2_000, 4_000, 8_000, BACKOFF_CEILING_MS, BACKOFF_CEILING_MS]);
    // A floor above 10 s is kept.
    const slow = simulate({ endMs: 400_000, floorMs: 15_000, learned: { count: 10, meanMs: 60_000, sdMs: 5_000, maxMs: 70_000 } });
    const slowGaps = slow.slice(1).map((at, i) => at - slow[i]!);
    expect(Math.min(...slowGaps)).toBe(15_000);
    expect(Math.max(...slowGaps)).toBe(15_000);
  });

  it('a task polled at the fixed interval until enough was learned then waits for its first-poll time', () => {
    const steady: DurationSummary = { count: 8, meanMs: 1_000, sdMs: 10, maxMs: 1_020 };
    const first = firstPollAt(1_000, 10, 100);
    expect(nextPollDelay({ floorMs: 100, learned: steady, elapsedMs: 205, pollsAtMs: [100, 200], random: 0.5 })).toBe(first - 205);
    // Already past it: the short interval, as for any later poll.
    expect(nextPollDelay({ floorMs: 100, learned: steady, elapsedMs: 1_100, pollsAtMs: [1_000, 1_095], random: 0.5 })).toBe(95);
  });

  it('in the last round the first poll aims later: a miss of any of its tasks delays the whole build by a floor', () => {
    const steady: DurationSummary = { count: 8, meanMs: 1_000, sdMs: 10, maxMs: 1_020 };
    // The least-wait point for a miss costing 8 floors: the density 1/(8 × 100 ms).
    const z = Math.sqrt(2 * Math.log(800 / (10 * Math.sqrt(2 * Math.PI))));
    expect(nextPollDelay({ floorMs: 100, learned: steady, elapsedMs: 0, pollsAtMs: [], random: 0.5, lastRoundOf: 8 })).toBe(Math.round(1_000 + z * 10));
    expect(firstPollAt(1_000, 10, 100, 8)).toBe(1_026);
    expect(nextPollDelay({ floorMs: 100, learned: steady, elapsedMs: 0, pollsAtMs: [], random: 0.5, lastRoundOf: 0 })).toBe(firstPollAt(1_000, 10, 100));
    expect(firstPollAt(1_000, 10, 100)).toBe(1_017);
    // Never past mean + 3 sd; a spread as large as the floor: unchanged.
    expect(firstPollAt(1_000, 2, 100, 64)).toBe(1_006);
    expect(firstPollAt(6_000, 1_040, 1_000, 8)).toBe(4_960);
  });

  it('a poll already overdue is sent at once', () => {
    expect(nextPollDelay({ floorMs: 1_000, learned: LEARNED, elapsedMs: 9_000, pollsAtMs: [], random: 0.5 })).toBe(0);
  });
});
