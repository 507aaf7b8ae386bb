import type { RateLimitConfig } from './config.js';

// The per-access-key limit, in one of two kinds real APIs use (issue 14 item 3 tests the client
// against both):
// - `token-bucket` (default): each request takes one token; tokens come back at `requestsPerSecond`,
//   up to `burst`. An empty bucket answers with the whole seconds until the next token (at least 1).
// - `fixed-window`: at most requestsPerSecond × windowMs / 1000 requests (rounded down, at least 1) in
//   each window of `windowMs`, windows aligned to the emulator's clock (multiples of windowMs since the
//   epoch, as a limiter keyed by the wall-clock second is); the count starts again at each boundary. A
//   full window answers with the whole seconds to its end (at least 1). Bursts at a boundary are
//   allowed: twice the limit can pass within a few milliseconds across one.
// The server sends the seconds as `Retry-After` unless `retryAfter: false`.

export interface RateLimiter {
  /** null when the request may go ahead; otherwise the Retry-After seconds. */
  take(key: string, nowMs: number): number | null;
  reset(): void;
}

export function createRateLimiter(getConfig: () => RateLimitConfig | null): RateLimiter {
  const buckets = new Map<string, { tokens: number; updatedMs: number }>();
  const windows = new Map<string, { index: number; count: number }>();
  return {
    take(key, nowMs) {
      const config = getConfig();
      if (!config) return null;
      if (config.mode === 'fixed-window') return takeFromWindow(windows, config, key, nowMs);
      const capacity = config.burst ?? Math.max(1, Math.ceil(config.requestsPerSecond));
      const bucket = buckets.get(key) ?? { tokens: capacity, updatedMs: nowMs };
      const elapsedSeconds = Math.max(0, nowMs - bucket.updatedMs) / 1000;
      bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * config.requestsPerSecond);
      bucket.updatedMs = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / config.requestsPerSecond));
    },
    reset() {
      buckets.clear();
      windows.clear();
    },
  };
}

function takeFromWindow(windows: Map<string, { index: number; count: number }>, config: RateLimitConfig, key: string, nowMs: number): number | null {
  const windowMs = config.windowMs ?? 1000;
  const limit = Math.max(1, Math.floor((config.requestsPerSecond * windowMs) / 1000));
  const index = Math.floor(nowMs / windowMs);
  const window = windows.get(key);
  const current = window && window.index === index ? window : { index, count: 0 };
  windows.set(key, current);
  if (current.count < limit) {
    current.count += 1;
    return null;
  }
  return Math.max(1, Math.ceil(((index + 1) * windowMs - nowMs) / 1000));
}
