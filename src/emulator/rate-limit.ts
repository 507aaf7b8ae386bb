import type { RateLimitConfig } from './config.js';

// A token bucket per access key. Each request takes one token; tokens come back at
// `requestsPerSecond`, up to `burst`. An empty bucket answers with the whole seconds until the next
// token (at least 1), which the server sends as `Retry-After`.

export interface RateLimiter {
  /** null when the request may go ahead; otherwise the Retry-After seconds. */
  take(key: string, nowMs: number): number | null;
  reset(): void;
}

export function createRateLimiter(getConfig: () => RateLimitConfig | null): RateLimiter {
  const buckets = new Map<string, { tokens: number; updatedMs: number }>();
  return {
    take(key, nowMs) {
      const config = getConfig();
      if (!config) return null;
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
    },
  };
}
