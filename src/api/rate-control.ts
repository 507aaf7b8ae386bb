// The arithmetic of the client's pacing (pure; every method takes `now` in milliseconds; rate-gate.ts
// turns it into waiting). AIMD, as TCP does it, with the server's 429s as the loss signal:
//
// - Unlimited until the first 429. Then the rate starts at `initialFactor` × the requests answered in
//   the last second (the server's limit, as observed), so the first second's burst settles at once;
//   answers that were still in flight at that 429 (sent before it) refine the estimate upwards.
// - Each later 429 multiplies the rate by `decreaseFactor` — but only a 429 for a request sent after the
//   previous decrease: the requests already in flight at the old rate say nothing about the new one.
// - Each answered request that had to wait for its slot (demand above the rate) adds
//   `increasePerSecond × ceiling / rate`, i.e. the rate climbs linearly by `increasePerSecond` of the last
//   ceiling per second of saturated traffic. Requests that did not wait add nothing, so an idle client
//   does not talk itself into a rate it never tried.
// - Every counted 429 also pauses all requests: for its Retry-After, else for `pauseBaseMs` doubled per
//   consecutive 429 (capped at `pauseMaxMs`).
// With the defaults, under a fixed per-second limit L the rate saw-tooths between 0.85·L and L with a
// period of 15 s, i.e. about one 429 per 14·L requests (test/unit/api/rate-gate.test.ts simulates it).

export interface RateControlOptions {
  initialFactor: number;
  decreaseFactor: number;
  increasePerSecond: number;
  minRate: number;
  /** Requests per second assumed when the first 429 comes with nothing answered before it. */
  startFloor: number;
  maxRate: number;
  windowMs: number;
  pauseBaseMs: number;
  pauseMaxMs: number;
}

export const DEFAULT_RATE_CONTROL: RateControlOptions = {
  initialFactor: 0.9,
  decreaseFactor: 0.85,
  increasePerSecond: 0.02,
  minRate: 0.2,
  startFloor: 1,
  maxRate: 10_000,
  windowMs: 1000,
  pauseBaseMs: 1000,
  pauseMaxMs: 30_000,
};

export class RateControl {
  private readonly options: RateControlOptions;
  /** Requests per second; undefined until the first 429. */
  private rate: number | undefined;
  /** The rate at the last decrease (what the additive increase is scaled by). */
  private ceiling = 0;
  private pausedUntil = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private firstLimitedAt = Number.POSITIVE_INFINITY;
  private lastReleaseAt = Number.NEGATIVE_INFINITY;
  private consecutiveLimited = 0;
  /** Send times of answered (non-429) requests in the last window, oldest first. */
  private readonly answered: number[] = [];

  constructor(options: Partial<RateControlOptions> = {}) {
    this.options = { ...DEFAULT_RATE_CONTROL, ...options };
  }

  /** Requests per second, or undefined while unlimited. */
  currentRate(): number | undefined {
    return this.rate;
  }

  /** The earliest time the next request may be sent. */
  nextReleaseAt(now: number): number {
    const paced = this.rate === undefined ? now : this.lastReleaseAt + 1000 / this.rate;
    return Math.max(now, this.pausedUntil, paced);
  }

  recordRelease(now: number): void {
    this.lastReleaseAt = now;
  }

  /** An answer other than 429 for a request sent at `sentAt`; `waited`: it had to wait for its slot. */
  recordAnswered(sentAt: number, now: number, waited: boolean): void {
    this.answered.push(sentAt);
    this.trimWindow(now);
    this.consecutiveLimited = 0;
    if (this.rate === undefined) return;
    if (sentAt < this.firstLimitedAt) {
      // Late news from before the first 429 (answers still in flight then): refine the first estimate.
      const observed = this.answered.filter((t) => t < this.firstLimitedAt).length / (this.options.windowMs / 1000);
      this.ceiling = Math.max(this.ceiling, observed);
      this.rate = Math.max(this.rate, observed * this.options.initialFactor);
      return;
    }
    if (!waited) return;
    const step = (this.options.increasePerSecond * this.ceiling) / this.rate;
    this.rate = Math.min(this.options.maxRate, this.rate + step);
  }

  /** A 429 for a request sent at `sentAt`. Returns how long every request now pauses (0 if ignored). */
  recordRateLimited(sentAt: number, now: number, retryAfterMs?: number): number {
    const { options } = this;
    this.trimWindow(now);
    if (this.rate === undefined) {
      // Nothing answered in the window (the very first request was refused) says little about the
      // limit: start from `startFloor` per second rather than crawl at the minimum.
      const observed = this.answered.length / (options.windowMs / 1000);
      this.ceiling = Math.max(options.startFloor, observed);
      this.rate = Math.max(options.minRate, this.ceiling * options.initialFactor);
      this.lastDecreaseAt = now;
      this.firstLimitedAt = now;
    } else if (sentAt >= this.lastDecreaseAt) {
      this.ceiling = Math.max(options.startFloor, this.rate);
      this.rate = Math.max(options.minRate, this.rate * options.decreaseFactor);
      this.lastDecreaseAt = now;
    } else if (retryAfterMs === undefined) {
      return Math.max(0, this.pausedUntil - now); // stale news: the pause already covers it
    }
    this.consecutiveLimited += 1;
    const backoff = Math.min(options.pauseMaxMs, options.pauseBaseMs * 2 ** (this.consecutiveLimited - 1));
    const pauseMs = retryAfterMs ?? backoff;
    this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
    return this.pausedUntil - now;
  }

  private trimWindow(now: number): void {
    const from = now - this.options.windowMs;
    while (this.answered.length > 0 && (this.answered[0] ?? 0) <= from) this.answered.shift();
  }
}
