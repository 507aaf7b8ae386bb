import type { Clock } from '../../src/util/clock.js';
import { VirtualTime } from '../unit/api/virtual-time.js';

// A Clock (src/util/clock.ts) on virtual time: `now` moves only when the test says so, sleeps wait
// for `advance`, and chance is fixed. For claims, staleness and renewals without waiting for real.

export interface FakeClock extends Clock {
  /** Moves time forward, resolving every sleep that falls due on the way. */
  advance(ms: number): Promise<void>;
}

export function createFakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  const time = new VirtualTime();
  time.now = start;
  return {
    now: () => time.now,
    sleep: (ms, signal) => time.sleep(ms, signal),
    random: () => 0.5,
    advance: (ms) => time.run(time.now + ms),
  };
}
