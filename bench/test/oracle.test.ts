import { describe, expect, it } from 'vitest';
import { oracleMakespan } from '../lib/oracle.js';

describe('oracleMakespan', () => {
  it('gives each task, in creation order, the slot that frees first', () => {
    expect(oracleMakespan([], 8)).toBe(0);
    // Two slots: 5 | 3 → the third (4) takes the slot free at 3 → 7; the fourth (1) the one free at 5 → 6.
    expect(oracleMakespan([{ createdAt: 0, serverMs: 5 }, { createdAt: 1, serverMs: 3 }, { createdAt: 2, serverMs: 4 }, { createdAt: 3, serverMs: 1 }], 2)).toBe(7);
    // Order is by creation time, not by position in the list.
    expect(oracleMakespan([{ createdAt: 2, serverMs: 4 }, { createdAt: 0, serverMs: 5 }, { createdAt: 1, serverMs: 3 }], 2)).toBe(7);
    expect(oracleMakespan(Array.from({ length: 64 }, (_, i) => ({ createdAt: i, serverMs: 6_000 })), 8)).toBe(48_000);
  });
});
