import { createAbortError } from './errors.js';
import { RateControl, type RateControlOptions } from './rate-control.js';
import type { Clock } from '../util/clock.js';

// One pacer for all API requests of a client. Result downloads and URL checks go to the CDN, which is
// not the API and does not count against the key's limit, so they do not pass through it. A request calls
// acquire() before each attempt and reports the answer with the permit it got; rate-control.ts decides
// the pace. The build's submitter process sends its creates through the build's gate too (it asks for
// each permit over IPC: src/submitter/), so the key's one budget has one pacer. Invariants:
// - Priority classes share the budget (issue 14 item 3): a create goes first, then uploads, then polls
//   and other queries. A create is what starts paid work and the next task; uploads come before the
//   creates that need them; a poll only asks after work already running and loses nothing by waiting a
//   slot. So polls can never starve a create: however many wait, a create queues ahead of all of them.
//   (They cannot starve each other in turn: creates and uploads are few and bounded by the plan.)
// - Within a class, waiters are released strictly first in, first out, by a single pump; a request
//   arriving while others wait queues behind those of its class even if its own slot would be free.
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

/** Who goes first when several wait: lower first. See the invariants above. */
export type GatePriority = 'create' | 'upload' | 'query';
const PRIORITY_ORDER: readonly GatePriority[] = ['create', 'upload', 'query'];

export interface RateGate {
  acquire(signal?: AbortSignal, priority?: GatePriority): Promise<Permit>;
  /** An answer other than 429. */
  recordAnswered(permit: Permit): void;
  /** A 429; returns the pause every request now observes, in ms. */
  recordRateLimited(permit: Permit, retryAfterMs?: number): number;
  /** Current rate in requests per second, undefined while unlimited (for reporting and tests). */
  currentRate(): number | undefined;
  /** The estimated limit in requests per second, undefined while none was met. */
  estimatedLimit(): number | undefined;
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
  const queues: Record<GatePriority, Waiter[]> = { create: [], upload: [], query: [] };
  const waiting = () => queues.create.length + queues.upload.length + queues.query.length;
  const nextWaiter = () => {
    for (const priority of PRIORITY_ORDER) if (queues[priority].length > 0) return queues[priority].shift();
    return undefined;
  };
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
      while (waiting() > 0 && !closed) {
        const now = clock.now();
        const at = control.nextReleaseAt(now);
        if (at <= now) {
          release(nextWaiter() as Waiter, now);
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
    acquire(signal, priority = 'query') {
      if (signal?.aborted) return Promise.reject(createAbortError(signal));
      if (closed) return Promise.reject(new Error('the API client is closed'));
      const now = clock.now();
      if (waiting() === 0 && control.nextReleaseAt(now) <= now) {
        control.recordRelease(now);
        return Promise.resolve({ sentAt: now, waited: false });
      }
      return new Promise<Permit>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal, onAbort: () => {} };
        const queue = queues[priority];
        waiter.onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          if (waiting() === 0) pumpSleep?.abort();
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
    estimatedLimit: () => control.estimatedLimit(),
    close() {
      closed = true;
      pumpSleep?.abort();
      for (const waiter of PRIORITY_ORDER.flatMap((priority) => queues[priority].splice(0))) {
        waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.reject(new Error('the API client is closed'));
      }
    },
  };
}
