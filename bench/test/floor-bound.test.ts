import { describe, expect, it } from 'vitest';
import { bestFloorSchedule, floorBoundMakespan } from '../lib/floor-bound.js';

describe('bestFloorSchedule', () => {
  it('polls exactly at the end when every task takes the same time', () => {
    const schedule = bestFloorSchedule([6_000, 6_000, 6_000], 1_000);
    expect(schedule.pollsAtMs.at(-1)).toBe(6_000);
    expect(schedule.meanLagMs).toBe(0);
  });

  it('keeps its polls at least the floor apart, the first at least the floor after the create', () => {
    const ends = Array.from({ length: 200 }, (_, i) => 4_200 + (3_600 * i) / 199);
    const { pollsAtMs } = bestFloorSchedule(ends, 1_000);
    expect(pollsAtMs[0]).toBeGreaterThanOrEqual(1_000);
    for (let i = 1; i < pollsAtMs.length; i++) expect(pollsAtMs[i]! - pollsAtMs[i - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(pollsAtMs.at(-1)).toBeGreaterThanOrEqual(7_800);
  });

  it('for ends spread evenly over 3.6 s and a 1 s floor, finds them 0.47 s late on average (1.68/3.6, worked out by hand)', () => {
    const ends = Array.from({ length: 3_601 }, (_, i) => 4_200 + i);
    const { meanLagMs, pollsAtMs } = bestFloorSchedule(ends, 1_000);
    expect(meanLagMs).toBeGreaterThan(460);
    expect(meanLagMs).toBeLessThan(475);
    expect(pollsAtMs.filter((at) => at >= 4_200)).toEqual([4_800, 5_800, 6_800, 7_800]);
  });

  it('two clusters: one poll at the end of each', () => {
    const { pollsAtMs, meanLagMs } = bestFloorSchedule([2_000, 2_000, 5_000, 5_000], 1_000);
    expect(pollsAtMs.slice(-2)).toEqual([2_000, 5_000]);
    expect(meanLagMs).toBe(0);
  });
});

describe('floorBoundMakespan', () => {
  it('adds each task its lag under the schedule, in the oracle slot simulation', () => {
    const tasks = [{ createdAt: 0, serverMs: 1_500 }, { createdAt: 1, serverMs: 1_500 }];
    // One slot, polls at 1 s and 2 s: each task is found at 2 s.
    expect(floorBoundMakespan(tasks, 1, { pollsAtMs: [1_000, 2_000], meanLagMs: 500 })).toBe(4_000);
  });
});
