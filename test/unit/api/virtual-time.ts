import type { Clock, Sleep } from '../../../src/util/clock.js';

// Virtual time for tests of code that takes a clock and a sleep: nothing waits for real. run(until)
// lets every pending promise settle, then jumps to the next timer, until no timer is due before `until`.

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class VirtualTime {
  now = 0;
  private timers: Timer[] = [];
  private seq = 0;


  readonly sleep: Sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { at: this.now + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  /** Time as the code under test sees it: virtual now and sleep, jitter fixed at the middle. */
  readonly clock: Clock = { now: () => this.now, sleep: (ms, signal) => this.sleep(ms, signal), random: () => 0.5 };

  /** Advances through every timer due up to `until` (virtual ms), letting promises settle in between. */
  async run(until: number): Promise<void> {
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.now = Math.max(this.now, next.at);
      next.resolve();
    }
    this.now = Math.max(this.now, until);
    await settle();
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

async function settle(): Promise<void> {
  // setImmediate runs after every queued microtask; a few rounds let promise chains finish.
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
