import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/errors.js';
import { RateControl } from '../../../src/api/rate-control.js';
import { createRateGate } from '../../../src/api/rate-gate.js';
import { runWithRetry } from '../../../src/api/retry-loop.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/api/retry-policy.js';
import { VirtualTime } from './virtual-time.js';

describe('RateControl', () => {
  it('is unlimited until the first 429', () => {
    const control = new RateControl();
    for (let i = 0; i < 100; i += 1) {
      expect(control.nextReleaseAt(5)).toBe(5);
      control.recordRelease(5);
      control.recordAnswered(5, 6, false);
    }
    expect(control.currentRate()).toBeUndefined();
  });

  it('starts at 0.9 × what was answered in the last second, and pauses for Retry-After', () => {
    const control = new RateControl();
    for (let t = 0; t < 1000; t += 50) control.recordAnswered(t, t + 10, false); // 20 in the window
    expect(control.recordRateLimited(1000, 1010, 2000)).toBe(2000);
    expect(control.currentRate()).toBeCloseTo(0.9 * 19, 5); // the one sent at t=0 left the window at 1010
    expect(control.nextReleaseAt(1010)).toBe(3010);
  });

  it('refines the first estimate with answers that were in flight at the first 429', () => {
    const control = new RateControl({ startFloor: 1 });
    control.recordRateLimited(10, 30); // nothing answered yet: starts at 0.9/s
    expect(control.currentRate()).toBeCloseTo(0.9, 5);
    control.recordAnswered(5, 40, false);
    control.recordAnswered(8, 45, false);
    control.recordAnswered(9, 50, false);
    expect(control.currentRate()).toBeCloseTo(2.7, 5); // 3 accepted in that second
    control.recordAnswered(2000, 2100, false); // sent after the 429: no longer evidence of the old burst
    expect(control.currentRate()).toBeCloseTo(2.7, 5);
  });

  it('pauses for a doubling backoff when there is no Retry-After', () => {
    const control = new RateControl({ pauseBaseMs: 1000 });
    expect(control.recordRateLimited(0, 0)).toBe(1000);
    expect(control.recordRateLimited(1500, 1500)).toBe(2000);
    expect(control.recordRateLimited(4000, 4000)).toBe(4000);
    control.recordAnswered(8000, 8000, false);
    expect(control.recordRateLimited(8100, 8100)).toBe(1000);
  });

  it('re-estimates once per round: a 429 for a request sent before the last adjustment is stale', () => {
    const control = new RateControl();
    for (let t = 0; t < 1000; t += 10) control.recordAnswered(t, 1000, false); // 100 answered
    control.recordRateLimited(1000, 1000);
    const first = control.currentRate() ?? 0;
    expect(first).toBeCloseTo(0.9 * 99, 5);
    control.recordRateLimited(990, 1005); // sent before the adjustment
    expect(control.currentRate()).toBe(first);
    // Paced at ~89/s, the server answered 60 in the two seconds since the adjustment, before the next
    // refused request: 30/s is its limit, and the rate restarts at 0.9 × it.
    for (let i = 0; i < 60; i += 1) control.recordAnswered(1001 + i * 33, 3000, true);
    control.recordRateLimited(3000, 3000);
    expect(control.estimatedLimit()).toBe(30);
    expect(control.currentRate()).toBeCloseTo(27, 5);
  });

  it('never raises the estimate on a 429: the rate that drew it is an upper bound', () => {
    const control = new RateControl({ startFloor: 10 });
    control.recordRateLimited(0, 0); // nothing answered: 10/s assumed, 9/s paced
    for (let t = 100; t < 1000; t += 10) control.recordAnswered(t, t, true); // a burst the server still took
    control.recordRateLimited(1000, 1000);
    expect(control.estimatedLimit()).toBeLessThanOrEqual(10);
  });

  it('climbs quickly to just under the estimate, then only probes — and only when requests had to wait', () => {
    const control = new RateControl();
    for (let t = 10; t <= 1000; t += 10) control.recordAnswered(t, 1000, false);
    control.recordRateLimited(1000, 1000); // ceiling 100, rate 90
    expect(control.estimatedLimit()).toBe(100);
    control.recordAnswered(2000, 2010, false);
    expect(control.currentRate()).toBeCloseTo(90, 5);
    // 90 waited answers ≈ one second of saturated traffic: +5% of the ceiling, capped at 96%
    for (let i = 0; i < 90; i += 1) control.recordAnswered(2000 + i, 2100 + i, true);
    expect(control.currentRate()).toBeGreaterThan(94.5);
    expect(control.currentRate()).toBeLessThanOrEqual(96);
    for (let i = 0; i < 200; i += 1) control.recordAnswered(3000 + i, 3100 + i, true);
    // two more seconds: at the hold, then +0.05% of the ceiling per second
    expect(control.currentRate()).toBeGreaterThanOrEqual(96);
    expect(control.currentRate()).toBeLessThan(96.2);
  });

  it('estimates a slow limit over ten requests, not one second (at 2/s a second holds 1 or 2)', () => {
    const control = new RateControl();
    control.recordAnswered(100, 105, false);
    control.recordAnswered(600, 605, false);
    control.recordRateLimited(900, 905); // 2 answered in the first second: 2/s, 1.8/s paced
    expect(control.estimatedLimit()).toBe(2);
    for (let t = 1000; t <= 11_000; t += 555) control.recordAnswered(t, t + 5, true);
    // A refused request sent a second after the last answer: one second's window holds nothing.
    control.recordRateLimited(12_000, 12_005);
    expect(control.estimatedLimit()).toBeGreaterThan(1.4);
  });

  it("does not take a token bucket's burst for its rate again: the estimate counts since the last 429", () => {
    const control = new RateControl();
    // The first second: a burst of 10 plus 10 per second refilled — 20 answered — then the first 429.
    for (let t = 0; t < 1000; t += 50) control.recordAnswered(t, t + 5, false);
    control.recordRateLimited(1000, 1005, 1000);
    expect(control.estimatedLimit()).toBe(19); // too high: the burst is in it
    // Paced at 17/s after the pause, the bucket (10/s) refills 10 during the pause and runs dry again
    // 10 / (17 − 10) ≈ 1.4 s later: 10 + 10 × 2.4 ≈ 34 answered since the first 429.
    for (let i = 0; i < 34; i += 1) control.recordAnswered(2005 + i * 41, 2010 + i * 41, true);
    control.recordRateLimited(3400, 3405, 1000);
    expect(control.estimatedLimit()).toBeLessThan(15); // 34 in 2.4 s; one second would say 24
  });

  it('recovers from an estimate set far too low: the probe doubles every minute without a 429', () => {
    const control = new RateControl();
    control.recordRateLimited(0, 0); // nothing answered: 1/s assumed (say the real limit is 10/s)
    let now = 0;
    let rate = control.currentRate() ?? 0;
    // Saturated traffic at the current rate, never refused, for ten minutes.
    while (now < 600_000) {
      now += 1000 / rate;
      control.recordRelease(now);
      control.recordAnswered(now, now + 5, true);
      rate = control.currentRate() ?? 0;
      if (now < 60_000) expect(rate).toBeLessThan(1.03); // the first minute: only the slow probe
    }
    expect(rate).toBeGreaterThan(10);
  });

  it('paces releases at the rate once limited', () => {
    const control = new RateControl({ startFloor: 1 });
    control.recordRateLimited(0, 0, 0); // nothing answered yet: 0.9/s
    control.recordRelease(0);
    expect(control.nextReleaseAt(0)).toBeCloseTo(1000 / 0.9, 5);
  });
});

describe('createRateGate', () => {
  it('lets everything through at once before any 429', async () => {
    const time = new VirtualTime();
    const gate = createRateGate({ clock: time.clock });
    const permits = await Promise.all([1, 2, 3, 4, 5].map(() => gate.acquire()));
    expect(permits.map((p) => p.sentAt)).toEqual([0, 0, 0, 0, 0]);
    expect(permits.every((p) => !p.waited)).toBe(true);
  });

  it('holds every request through the pause, then releases them first in, first out at the rate', async () => {
    const time = new VirtualTime();
    const gate = createRateGate({ clock: time.clock, control: { startFloor: 10 } });
    const first = await gate.acquire();
    expect(gate.recordRateLimited(first, 1000)).toBe(1000); // rate 9/s
    const order: number[] = [];
    const waiting = [0, 1, 2].map((n) =>
      gate.acquire().then((permit) => {
        order.push(n);
        return permit;
      }),
    );
    await time.run(999);
    expect(order).toEqual([]);
    await time.run(5000);
    const permits = await Promise.all(waiting);
    expect(order).toEqual([0, 1, 2]);
    expect(permits[0]?.sentAt).toBe(1000);
    expect(permits[1]?.sentAt).toBeCloseTo(1000 + 1000 / 9, 0);
    expect(permits[2]?.sentAt).toBeCloseTo(1000 + 2000 / 9, 0);
    expect(permits.every((p) => p.waited)).toBe(true);
  });

  it('releases a create waiting behind many polls first, then uploads, then the polls in order', async () => {
    const time = new VirtualTime();
    const gate = createRateGate({ clock: time.clock, control: { startFloor: 10 } });
    gate.recordRateLimited(await gate.acquire(), 1000); // paused for 1 s, then 9/s
    const order: string[] = [];
    const take = (name: string, priority?: 'create' | 'upload' | 'query') =>
      gate.acquire(undefined, priority).then((permit) => (order.push(name), permit));
    const polls = Array.from({ length: 50 }, (_, n) => take(`poll ${n}`));
    await time.run(500);
    const upload = take('upload', 'upload');
    const create = take('create', 'create');
    await time.run(1000 + 1000 / 9 + 1); // the pause, then two slots
    expect(order).toEqual(['create', 'upload']);
    await time.run(20_000);
    await Promise.all([...polls, upload, create]);
    expect(order.slice(2)).toEqual(Array.from({ length: 50 }, (_, n) => `poll ${n}`));
  });

  it('rejects an aborted waiter at once, keeps the others, and leaves no timer behind', async () => {
    const time = new VirtualTime();
    const gate = createRateGate({ clock: time.clock });
    gate.recordRateLimited(await gate.acquire(), 10_000);
    const controller = new AbortController();
    const aborted = gate.acquire(controller.signal);
    const kept = gate.acquire();
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await time.run(10_000);
    await expect(kept).resolves.toMatchObject({ sentAt: 10_000 });

    const lone = new AbortController();
    gate.recordRateLimited({ sentAt: 10_000, waited: true }, 5000);
    const waiter = gate.acquire(lone.signal);
    await time.run(10_001);
    expect(time.pendingTimers()).toBe(1);
    lone.abort();
    await expect(waiter).rejects.toMatchObject({ name: 'AbortError' });
    await time.run(10_002);
    expect(time.pendingTimers()).toBe(0);
  });

  it('rejects waiters when closed', async () => {
    const time = new VirtualTime();
    const gate = createRateGate({ clock: time.clock });
    gate.recordRateLimited(await gate.acquire(), 10_000);
    const waiter = gate.acquire();
    gate.close();
    await expect(waiter).rejects.toThrow('closed');
    await expect(gate.acquire()).rejects.toThrow('closed');
  });
});

// The benchmark's situation in virtual time: a server that limits requests per second, 8 tasks polled
// concurrently through the real retry loop and gate; at most 5% of requests after the first second
// may be answered 429.
type Limiter = (now: number) => { limited: false } | { limited: true; retryAfterMs?: number };

function fixedWindow(limit: number, retryAfter: boolean): Limiter {
  let window = -1;
  let count = 0;
  return (now) => {
    const current = Math.floor(now / 1000);
    if (current !== window) {
      window = current;
      count = 0;
    }
    if (count >= limit) {
      const seconds = Math.ceil(((current + 1) * 1000 - now) / 1000);
      return retryAfter ? { limited: true, retryAfterMs: seconds * 1000 } : { limited: true };
    }
    count += 1;
    return { limited: false };
  };
}

function slidingLog(limit: number, retryAfter: boolean): Limiter {
  const accepted: number[] = [];
  return (now) => {
    while (accepted.length > 0 && (accepted[0] ?? 0) <= now - 1000) accepted.shift();
    if (accepted.length >= limit) {
      const seconds = Math.max(1, Math.ceil(((accepted[0] ?? now) + 1000 - now) / 1000));
      return retryAfter ? { limited: true, retryAfterMs: seconds * 1000 } : { limited: true };
    }
    accepted.push(now);
    return { limited: false };
  };
}

/** Like the emulator's (src/emulator/rate-limit.ts): Retry-After in whole seconds, at least 1. */
function tokenBucket(rate: number, burst: number, retryAfter: boolean): Limiter {
  let tokens = burst;
  let last = 0;
  return (now) => {
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
    last = now;
    if (tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - tokens) / rate));
      return retryAfter ? { limited: true, retryAfterMs: seconds * 1000 } : { limited: true };
    }
    tokens -= 1;
    return { limited: false };
  };
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function simulatePolling(limiter: Limiter, options: { pollIntervalMs: number; seconds: number; latencyMs: number }) {
  const time = new VirtualTime();
  const gate = createRateGate({ clock: time.clock });
  const random = seededRandom(42);
  const end = options.seconds * 1000;
  let total = 0;
  let limited = 0;
  let accepted = 0;
  const attempt = async () => {
    const latency = options.latencyMs;
    await time.sleep(latency + random() * 4 * latency); // on the way to the server
    const verdict = limiter(time.now);
    if (time.now >= 1000) {
      total += 1;
      if (verdict.limited) limited += 1;
      else accepted += 1;
    }
    await time.sleep(latency + random() * 4 * latency); // the answer on its way back
    if (verdict.limited) {
      throw new ApiError({
        kind: 'http',
        outcome: 'answered',
        status: 429,
        code: 1800,
        message: 'Rate limit exceeded',
        ...(verdict.retryAfterMs === undefined ? {} : { retryAfterMs: verdict.retryAfterMs }),
      });
    }
  };
  const poller = async () => {
    while (time.now < end) {
      await runWithRetry(attempt, {
        request: 'query',
        requestClass: 'safe',
        policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1000 },
        clock: { sleep: time.sleep, random },
        gate,
        emit: () => {},
        redact: (text) => text,
      });
      if (options.pollIntervalMs > 0) await time.sleep(options.pollIntervalMs);
    }
  };
  const pollers = Array.from({ length: 8 }, poller);
  await time.run(end + 60_000);
  await Promise.all(pollers);
  return { total, limited, share: limited / total, acceptedPerSecond: accepted / (options.seconds - 1) };
}

describe('pacing under a server limit (virtual time, 8 concurrent pollers)', () => {
  // Issue 14 item 3: once the limit is found, at least 90% of the allowed rate used and at most 1% of
  // the requests after the first second answered 429 — for every kind of limiter, with and without
  // Retry-After.
  const cases = [
    { label: 'token bucket 10/s, burst 10, with Retry-After', limiter: tokenBucket(10, 10, true), pollMs: 0, limit: 10 },
    { label: 'token bucket 10/s, burst 10, without Retry-After', limiter: tokenBucket(10, 10, false), pollMs: 0, limit: 10 },
    { label: 'token bucket 20/s, burst 40, 10 ms poll interval', limiter: tokenBucket(20, 40, true), pollMs: 10, limit: 20 },
    { label: 'sliding log 10/s with Retry-After', limiter: slidingLog(10, true), pollMs: 0, limit: 10 },
    { label: 'sliding log 20/s without Retry-After', limiter: slidingLog(20, false), pollMs: 0, limit: 20 },
    { label: 'fixed window 10/s with Retry-After, polling flat out', limiter: fixedWindow(10, true), pollMs: 0, limit: 10 },
    { label: 'fixed window 10/s without Retry-After', limiter: fixedWindow(10, false), pollMs: 0, limit: 10 },
    { label: 'fixed window 50/s, 50 ms poll interval', limiter: fixedWindow(50, true), pollMs: 50, limit: 50 },
    { label: 'fixed window 2/s with Retry-After', limiter: fixedWindow(2, true), pollMs: 0, limit: 2 },
    { label: 'fixed window 2/s without Retry-After', limiter: fixedWindow(2, false), pollMs: 0, limit: 2 },
  ];
  it.each(cases)('$label: ≥ 90% of the limit used, ≤ 1% answered 429 after the first second', async (c) => {
    const result = await simulatePolling(c.limiter, { pollIntervalMs: c.pollMs, seconds: 60, latencyMs: 5 });
    expect(result.share).toBeLessThanOrEqual(0.01);
    expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(c.limit * 0.9);
  });

  // Answers that take 100–500 ms there and back reach the server bunched, whatever the spacing of
  // the sends: a fixed window then refuses some, and the estimate settles lower (about 68% used with
  // the estimate counted since the previous 429; 80% when it counted one second, which let a token
  // bucket's burst pass for a higher limit at every 429). Still few 429s. Not a target of issue 14.
  it('fixed window 10/s, 50–250 ms latency each way: ≤ 1% answered 429, ≥ 65% used', async () => {
    const result = await simulatePolling(fixedWindow(10, true), { pollIntervalMs: 0, seconds: 60, latencyMs: 50 });
    expect(result.share).toBeLessThanOrEqual(0.01);
    expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(10 * 0.65);
  });
});

describe('runWithRetry with a first permit granted ahead (the submitter\'s creates)', () => {
  it('sends the first attempt on that permit and asks the gate for the retries', async () => {
    const asked: string[] = [];
    const gate = createRateGate({ clock: new VirtualTime().clock });
    const acquire = gate.acquire.bind(gate);
    gate.acquire = (signal, priority) => (asked.push(String(priority)), acquire(signal, priority));
    const answered: number[] = [];
    const record = gate.recordAnswered.bind(gate);
    gate.recordAnswered = (permit) => (answered.push(permit.sentAt), record(permit));
    let attempts = 0;
    const outcome = await runWithRetry(
      async () => {
        attempts += 1;
        if (attempts === 1) throw new ApiError({ kind: 'http', outcome: 'answered', status: 503, message: 'busy', retryable: true });
        return 'created';
      },
      {
        request: 'create',
        requestClass: 'create',
        policy: DEFAULT_RETRY_POLICY,
        clock: { sleep: async () => {}, random: () => 0 },
        gate,
        priority: 'create',
        firstPermit: Promise.resolve({ sentAt: 123, waited: false }),
        emit: () => {},
        redact: (text) => text,
      },
    );
    expect(outcome.value).toBe('created');
    expect(attempts).toBe(2);
    // One ask, for the retry; the first attempt's answer was recorded on the permit granted ahead.
    expect(asked).toEqual(['create']);
    expect(answered[0]).toBe(123);
  });
});
