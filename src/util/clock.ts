// Time and chance: the one seam through which the executor, the API client and their tests see
// them. Tests pass a clock that does not wait (or virtual time); nothing else reads Date.now,
// setTimeout or Math.random to decide what to do.

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it is aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

/** Resolves after `ms`; rejects with the signal's reason when it is aborted first. */
export type Sleep = Clock['sleep'];

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  random: () => Math.random(),
};
