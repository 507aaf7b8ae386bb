import { describe, expect, it } from 'vitest';
import { minimumSpread, normalCdf, summarizeDurations, type DurationSample } from '../../../src/render/estimate-durations.js';

// The fit of what polling saw of tasks' ends (brackets) to a normal: plain numbers, no clock.

const exact = (ms: number): DurationSample => ({ lowMs: ms, highMs: ms });

describe('summarizeDurations', () => {
  it('of exact durations is their mean and standard deviation', () => {
    expect(summarizeDurations([])).toBeUndefined();
    const fit = summarizeDurations([4_000, 6_000, 8_000].map(exact))!;
    expect(fit.count).toBe(3);
    expect(fit.meanMs).toBeCloseTo(6_000, 6);
    expect(fit.sdMs).toBeCloseTo(Math.sqrt(8_000_000 / 3), 6);
    expect(fit.maxMs).toBe(8_000);
  });

  it('keeps the spread at least the minimum (brackets wide against the real spread would shrink it to nothing)', () => {
    const fit = summarizeDurations([1_000, 1_000, 1_000].map(exact))!;
    expect(fit.sdMs).toBe(minimumSpread(1_000));
    expect(minimumSpread(1_000)).toBe(10);
    expect(minimumSpread(100)).toBe(5);
  });

  it('tasks found done at their first poll do not move the estimate later: they say only "done by then"', () => {
    // Eight tasks bracketed by polls 100 ms apart (ends near 990 ms), then twenty found at a first poll
    // at 1,010 ms. Recorded as that poll (the old estimate), they taught a mean of ~1,005 ms; as
    // brackets from the acceptance they leave it where the two-sided brackets put it.
    const tight: DurationSample[] = [
      { lowMs: 905, highMs: 1_003 },
      { lowMs: 940, highMs: 1_038 },
      { lowMs: 975, highMs: 1_073 },
      { lowMs: 985, highMs: 1_083 },
      { lowMs: 918, highMs: 1_016 },
      { lowMs: 962, highMs: 1_060 },
      { lowMs: 931, highMs: 1_029 },
      { lowMs: 950, highMs: 1_048 },
    ];
    const before = summarizeDurations(tight)!;
    const after = summarizeDurations([...tight, ...Array.from({ length: 20 }, () => ({ lowMs: 0, highMs: 1_010 }))])!;
    expect(after.meanMs).toBeLessThanOrEqual(before.meanMs + 1);
    expect(after.meanMs).toBeGreaterThan(985);
    expect(after.meanMs).toBeLessThan(1_003);
    // The old way: each of those twenty at 1,010 ms pulled the mean towards it.
    const oldWay = [...tight.map((s) => (s.lowMs + s.highMs) / 2), ...Array<number>(20).fill(1_010)];
    expect(oldWay.reduce((a, b) => a + b) / oldWay.length).toBeGreaterThan(after.meanMs + 5);
  });

  it('tasks still running at a poll move the estimate later', () => {
    const base: DurationSample[] = Array.from({ length: 8 }, (_, i) => ({ lowMs: 940 + i * 5, highMs: 1_040 + i * 5 }));
    const found = [...base, { lowMs: 0, highMs: 1_010 }, { lowMs: 0, highMs: 1_010 }];
    const missed = [...base, { lowMs: 1_010, highMs: 1_110 }, { lowMs: 1_010, highMs: 1_110 }];
    expect(summarizeDurations(missed)!.meanMs).toBeGreaterThan(summarizeDurations(found)!.meanMs + 5);
  });

  it('recovers a uniform 6 s ± 30% spread from brackets one second wide', () => {
    // Ends spread evenly over 4.2–7.8 s, polled every second from the acceptance.
    const samples = Array.from({ length: 32 }, (_, i) => {
      const end = 4_200 + (i + 0.5) * (3_600 / 32);
      return { lowMs: Math.floor(end / 1_000) * 1_000, highMs: Math.ceil(end / 1_000) * 1_000 };
    });
    const fit = summarizeDurations(samples)!;
    expect(fit.meanMs).toBeGreaterThan(5_850);
    expect(fit.meanMs).toBeLessThan(6_150);
    // The uniform's own standard deviation is 1,039 ms.
    expect(fit.sdMs).toBeGreaterThan(850);
    expect(fit.sdMs).toBeLessThan(1_250);
  });

  it('normalCdf is the standard normal distribution function', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(normalCdf(-40)).toBe(0);
  });
});
