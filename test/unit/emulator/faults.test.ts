import { describe, expect, it } from 'vitest';
import { createDefaultConfig, type FaultConfig } from '../../../src/emulator/config.js';
import { createFaultDecider, decideFaults, rollFault } from '../../../src/emulator/faults.js';

const faults = (patch: Partial<FaultConfig>): FaultConfig => ({ ...createDefaultConfig().faults, ...patch });
const API = { create: false, cdn: false };
const CREATE = { create: true, cdn: false };

describe('fault decisions', () => {
  it('depend only on (seed, kind, request key, occurrence)', () => {
    const config = faults({ seed: 42, error5xx: 0.5, drop: 0.2, taskFailed: 0.3, dropAfterCreate: 0.3, latencyMs: [10, 90] });
    const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`);
    const run = (order: string[]) => {
      const decider = createFaultDecider(() => config);
      const results = new Map<string, unknown>();
      for (const key of order) for (let attempt = 0; attempt < 3; attempt += 1) results.set(`${key}/${attempt}`, decider.decide(key, CREATE));
      return results;
    };
    const forward = run(keys);
    const backward = run([...keys].reverse());
    for (const [id, decision] of forward) expect(backward.get(id), id).toEqual(decision);
    // …and the second attempt of a request gets its own decision.
    const differs = keys.some((key) => JSON.stringify(forward.get(`${key}/0`)) !== JSON.stringify(forward.get(`${key}/1`)));
    expect(differs).toBe(true);
  });

  it('change with the seed', () => {
    const decide = (seed: number) => Array.from({ length: 40 }, (_, i) => decideFaults(faults({ seed, error5xx: 0.5 }), `k${i}`, 1, API).outcome);
    expect(decide(1)).toEqual(decide(1));
    expect(decide(1)).not.toEqual(decide(2));
  });

  it('fire about as often as their probability', () => {
    const count = Array.from({ length: 4000 }, (_, i) => rollFault(7, 'error5xx', `k${i}`, 1) < 0.25).filter(Boolean).length;
    expect(count).toBeGreaterThan(800);
    expect(count).toBeLessThan(1200);
  });

  it('never fire at probability 0 and always at 1; drop wins over error5xx and 429', () => {
    expect(decideFaults(faults({}), 'k', 1, CREATE)).toEqual({ latencyMs: 0, outcome: 'none', dropAfterCreate: false, taskFailed: false, occurrence: 1 });
    expect(decideFaults(faults({ drop: 1, error5xx: 1, rateLimit429: 1 }), 'k', 1, API).outcome).toBe('drop');
    expect(decideFaults(faults({ error5xx: 1, rateLimit429: 1 }), 'k', 1, API).outcome).toBe('error5xx');
    expect(decideFaults(faults({ rateLimit429: 1 }), 'k', 1, API).outcome).toBe('rateLimit429');
  });

  it('apply create-only faults to creates that go ahead, and CDN faults only with faults.cdn', () => {
    const all = faults({ dropAfterCreate: 1, taskFailed: 1 });
    expect(decideFaults(all, 'k', 1, API)).toMatchObject({ dropAfterCreate: false, taskFailed: false });
    expect(decideFaults(all, 'k', 1, CREATE)).toMatchObject({ dropAfterCreate: true, taskFailed: true });
    expect(decideFaults({ ...all, error5xx: 1 }, 'k', 1, CREATE)).toMatchObject({ outcome: 'error5xx', dropAfterCreate: false, taskFailed: false });
    expect(decideFaults(faults({ rateLimit429: 1 }), 'k', 1, { create: false, cdn: true }).outcome).toBe('none');
    const cdnOff = createFaultDecider(() => faults({ error5xx: 1, cdn: false }));
    expect(cdnOff.decide('k', { create: false, cdn: true }).outcome).toBe('none');
    const cdnOn = createFaultDecider(() => faults({ error5xx: 1, cdn: true }));
    expect(cdnOn.decide('k', { create: false, cdn: true }).outcome).toBe('error5xx');
  });

  it('draw latency in [min, max], or use the fixed value', () => {
    for (let i = 0; i < 100; i += 1) {
      const { latencyMs } = decideFaults(faults({ latencyMs: [20, 40] }), `k${i}`, 1, API);
      expect(latencyMs).toBeGreaterThanOrEqual(20);
      expect(latencyMs).toBeLessThanOrEqual(40);
    }
    expect(decideFaults(faults({ latencyMs: 15 }), 'k', 1, API).latencyMs).toBe(15);
  });

  it('count occurrences per key until reset', () => {
    const decider = createFaultDecider(() => faults({}));
    expect(decider.decide('a', API).occurrence).toBe(1);
    expect(decider.decide('a', API).occurrence).toBe(2);
    expect(decider.decide('b', API).occurrence).toBe(1);
    decider.reset();
    expect(decider.decide('a', API).occurrence).toBe(1);
  });
});
