import { createAbortError } from './errors.js';
import { RateControl, type RateControlOptions } from './rate-control.js';
import type { Clock } from '../util/clock.js';

// One pacer for all API requests of a client (CDN downloads do not pass through it). A request calls
// acquire() before each attempt and reports the answer with the permit it got; rate-control.ts decides
// the pace. Invariants:
// - Waiters are released strictly first in, first out, by a single pump; a request arriving while
//   others wait queues behind them even if its own slot would be free (no overtaking).
// - The pump is the only code that releases a waiter, and it re-reads the control's next release time
//   after every sleep, so a pause that starts (a new 429) while it sleeps is honoured.
// - An aborted waiter leaves the queue at once and rejects with its signal's AbortError; when the queue
//   empties the pump's sleep is cut short, so no timer keeps the process alive after Ctrl-C.

export interface Permit {
  /** When the request was released (its send time, for the control's bookkeeping). */
  sentAt: number;
  /** It had to wait for its slot: demand was above the rate. */
  waited: boolean;
}

export interface RateGate {
  acquire(signal?: AbortSignal): Promise<Permit>;
  /** An answer other than 429. */
  recordAnswered(permit: Permit): void;
  /** A 429; returns the pause every request now observes, in ms. */
  recordRateLimited(permit: Permit, retryAfterMs?: number): number;
  /** Current rate in requests per second, undefined while unlimited (for reporting and tests). */
  currentRate(): number | undefined;
  /** Rejects every waiter; later acquire() calls reject too. */
  close(): void;
}

export interface RateGateOptions {
  clock: Pick<Clock, 'now' | 'sleep'>;
  control?: Partial<RateControlOptions>;
}

interface Waiter {
  resolve: (permit: Permit) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export function createRateGate(options: RateGateOptions): RateGate {
  const { clock } = options;
  const control = new RateControl(options.control);
  const queue: Waiter[] = [];
  let pumping = false;
  let closed = false;
  let pumpSleep: AbortController | undefined;

  function release(waiter: Waiter, now: number): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    control.recordRelease(now);
    waiter.resolve({ sentAt: now, waited: true });
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0 && !closed) {
        const now = clock.now();
        const at = control.nextReleaseAt(now);
        if (at <= now) {
          release(queue.shift() as Waiter, now);
          continue;
        }
        pumpSleep = new AbortController();
        await clock.sleep(at - now, pumpSleep.signal).catch(() => {});
        pumpSleep = undefined;
      }
    } finally {
      pumping = false;
    }
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(createAbortError(signal));
      if (closed) return Promise.reject(new Error('the API client is closed'));
      const now = clock.now();
      if (queue.length === 0 && control.nextReleaseAt(now) <= now) {
        control.recordRelease(now);
        return Promise.resolve({ sentAt: now, waited: false });
      }
      return new Promise<Permit>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal, onAbort: () => {} };
        waiter.onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          if (queue.length === 0) pumpSleep?.abort();
          reject(createAbortError(signal));
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
        void pump();
      });
    },
    recordAnswered(permit) {
      control.recordAnswered(permit.sentAt, clock.now(), permit.waited);
    },
    recordRateLimited(permit, retryAfterMs) {
      return control.recordRateLimited(permit.sentAt, clock.now(), retryAfterMs);
    },
    currentRate: () => control.currentRate(),
    close() {
      closed = true;
      pumpSleep?.abort();
      for (const waiter of queue.splice(0)) {
        waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.reject(new Error('the API client is closed'));
      }
    },
  };
}
