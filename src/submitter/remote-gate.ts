import type { GatePriority, Permit, RateGate } from '../api/rate-gate.js';
import type { FromSubmitter, ToSubmitter } from './protocol.js';

// The submitter's rate gate: the build's own, reached over IPC (issue 14 item 3). The build's polls and
// uploads and the submitter's creates use one access key, so one budget; two pacers that each learn
// the limit on their own would together send above it and each take the other's 429s as their own.
// So the submitter asks the build for every create's permit (the build's gate queues creates ahead of
// polls) and reports each answer, 429s with their Retry-After included, to the build's gate.
// When the build is gone (killed, or done), nothing paces any more: what is in flight is finished
// with permits granted at once (the retry loop still waits out each Retry-After), because a create
// held back forever for a pacer that no longer exists would be a paid task never recorded.
// A create's first attempt does not ask: the build asks its gate for that permit as it sends the
// create, and sends the permit right after it (`create-permit`), so the attempt finds it waiting, or
// waits for it, instead of a round trip to ask after the journal write (issue 14 item 4: ~3–10 ms
// per create, on the way from a task's end to the next create). Retries ask as before.
// Deliberately tiny and free of heavy imports: the child loads it before it says hello.

export interface RemoteGate extends RateGate {
  /** A message from the build: a permit asked for (`permit`), or a create's first one (`create-permit`). */
  receive(message: Extract<ToSubmitter, { type: 'permit' | 'create-permit' }>): void;
  /** The first attempt's permit of create `id`: call when the create arrives (its permit follows it). */
  firstPermitOf(createId: number): Promise<Permit>;
  /** The build is gone: every waiter goes now, and so does every later request. */
  disconnected(): void;
}

export function createRemoteGate(send: (message: FromSubmitter) => boolean, now: () => number = Date.now): RemoteGate {
  const pending = new Map<number, (permit: Permit) => void>();
  const firstPermits = new Map<number, (permit: Permit) => void>();
  let nextId = 1;
  let gone = false;
  const immediate = (): Permit => ({ sentAt: now(), waited: false });

  return {
    acquire(_signal?: AbortSignal, _priority?: GatePriority) {
      if (gone) return Promise.resolve(immediate());
      const id = nextId++;
      return new Promise<Permit>((resolve) => {
        pending.set(id, resolve);
        if (!send({ type: 'acquire', id })) {
          pending.delete(id);
          resolve(immediate());
        }
      });
    },
    receive(message) {
      const waiting = message.type === 'permit' ? pending : firstPermits;
      const resolve = waiting.get(message.id);
      waiting.delete(message.id);
      resolve?.(message.permit);
    },
    firstPermitOf(createId) {
      if (gone) return Promise.resolve(immediate());
      return new Promise<Permit>((resolve) => firstPermits.set(createId, resolve));
    },
    recordAnswered(permit) {
      if (!gone) send({ type: 'answered', permit });
    },
    recordRateLimited(permit, retryAfterMs) {
      if (!gone) send({ type: 'limited', permit, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
      // The build's gate decides the pause; the next acquire observes it there.
      return retryAfterMs ?? 0;
    },
    currentRate: () => undefined,
    estimatedLimit: () => undefined,
    disconnected() {
      gone = true;
      for (const resolve of [...pending.values(), ...firstPermits.values()]) resolve(immediate());
      pending.clear();
      firstPermits.clear();
    },
    close() {
      this.disconnected();
    },
  };
}
