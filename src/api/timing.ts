import { setTimeout as delay } from 'node:timers/promises';

// Time as a dependency: the client's waiting goes through these two functions, so tests pass a fake
// clock and sleep instead of waiting for real.

/** Milliseconds since the epoch. */
export type Clock = () => number;

/** Resolves after `ms`; rejects (or resolves early) when `signal` fires. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = () => Date.now();

export const systemSleep: Sleep = async (ms, signal) => {
  await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
};
