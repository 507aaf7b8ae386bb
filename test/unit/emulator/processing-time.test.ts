import { describe, expect, it } from 'vitest';
import { drawProcessingMs } from '../../../src/emulator/processing-time.js';

const keys = Array.from({ length: 2000 }, (_, index) => `fingerprint-${index}#1`);

describe('drawProcessingMs', () => {
  it('is the configured time when there is no spread', () => {
    expect(keys.slice(0, 50).map((key) => drawProcessingMs({ processingMs: 6000, processingSpread: 0, timingSeed: 3 }, key))).toEqual(Array(50).fill(6000));
  });

  it('draws uniformly within ±spread of the mean: 6 s ± 30% is 4.2–7.8 s, mean 6 s', () => {
    const config = { processingMs: 6000, processingSpread: 0.3, timingSeed: 0 };
    const times = keys.map((key) => drawProcessingMs(config, key));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(4200);
    expect(Math.max(...times)).toBeLessThanOrEqual(7800);
    const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
    expect(Math.abs(mean - 6000)).toBeLessThan(6000 * 0.02);
    // Uniform: each tenth of the range holds about a tenth of the draws (2000 draws: 200 ± 60).
    const deciles = Array<number>(10).fill(0);
    for (const time of times) deciles[Math.min(9, Math.floor((time - 4200) / 360))]! += 1;
    for (const count of deciles) {
      expect(count).toBeGreaterThan(140);
      expect(count).toBeLessThan(260);
    }
  });

  it('repeats: the same seed and task key give the same time, another seed other times', () => {
    const config = { processingMs: 1000, processingSpread: 0.5, timingSeed: 'run-a' };
    const first = keys.slice(0, 100).map((key) => drawProcessingMs(config, key));
    expect(keys.slice(0, 100).map((key) => drawProcessingMs({ ...config }, key))).toEqual(first);
    const other = keys.slice(0, 100).map((key) => drawProcessingMs({ ...config, timingSeed: 'run-b' }, key));
    expect(other.filter((time, index) => time !== first[index]).length).toBeGreaterThan(90);
  });
});
