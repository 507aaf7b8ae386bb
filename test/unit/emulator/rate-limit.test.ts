import { describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../../src/emulator/config.js';
import { createRateLimiter } from '../../../src/emulator/rate-limit.js';

describe('createRateLimiter', () => {
  it('allows a burst, then answers whole seconds until the next token, per key', () => {
    const limiter = createRateLimiter(() => ({ requestsPerSecond: 2, burst: 3 }));
    expect([0, 0, 0].map(() => limiter.take('a', 1000))).toEqual([null, null, null]);
    expect(limiter.take('a', 1000)).toBe(1);
    expect(limiter.take('b', 1000)).toBeNull();
    expect(limiter.take('a', 1500)).toBeNull(); // one token back after 0.5 s
    expect(limiter.take('a', 1500)).toBe(1);
  });

  it('asks for more than a second when tokens come slowly; burst defaults to ceil(rps)', () => {
    const slow = createRateLimiter(() => ({ requestsPerSecond: 0.25 }));
    expect(slow.take('a', 0)).toBeNull();
    expect(slow.take('a', 0)).toBe(4);
    const fast = createRateLimiter(() => ({ requestsPerSecond: 2.5 }));
    expect([1, 2, 3, 4].map(() => fast.take('a', 0))).toEqual([null, null, null, 1]);
  });

  it('does nothing without a limit, and forgets buckets on reset', () => {
    let config: RateLimitConfig | null = null;
    const limiter = createRateLimiter(() => config);
    for (let i = 0; i < 100; i += 1) expect(limiter.take('a', 0)).toBeNull();
    config = { requestsPerSecond: 1 };
    expect(limiter.take('a', 0)).toBeNull();
    expect(limiter.take('a', 0)).toBe(1);
    limiter.reset();
    expect(limiter.take('a', 0)).toBeNull();
  });
});

describe('createRateLimiter, fixed window', () => {
  it('allows rps × window per window aligned to the clock, answering the whole seconds to its end', () => {
    const limiter = createRateLimiter(() => ({ requestsPerSecond: 2, mode: 'fixed-window' }));
    expect([0, 0, 0].map(() => limiter.take('a', 1200))).toEqual([null, null, 1]);
    expect(limiter.take('b', 1200)).toBeNull(); // per key
    expect(limiter.take('a', 1999)).toBe(1);
    // The next window starts at 2000, however recently the last request went.
    expect([0, 0, 0].map(() => limiter.take('a', 2000))).toEqual([null, null, 1]);
  });

  it('counts longer windows and answers their remaining seconds', () => {
    const limiter = createRateLimiter(() => ({ requestsPerSecond: 0.5, mode: 'fixed-window', windowMs: 10_000 }));
    for (let i = 0; i < 5; i += 1) expect(limiter.take('a', 10_500)).toBeNull();
    expect(limiter.take('a', 10_500)).toBe(10);
    expect(limiter.take('a', 18_200)).toBe(2);
    limiter.reset();
    expect(limiter.take('a', 18_200)).toBeNull();
  });
});
