// The arithmetic of the client's pacing (pure; every method takes `now` in milliseconds; rate-gate.ts
// turns it into waiting). Estimate the server's limit, then hold just under it — rather than AIMD's
// saw-tooth, which spends a 429 and a paused second on every tooth:
//
// - Unlimited until the first 429. Then the limit (`ceiling`) is estimated as the requests answered in
//   the last `windowMs` (the server's limit, as observed), and the rate starts at `initialFactor` × it;
//   answers that were still in flight at that 429 (sent before it) refine the estimate upwards.
// - A later 429 — only one for a request sent after the last adjustment: the requests already in flight
//   at the old rate say nothing about the new one — lowers the ceiling to the smaller of the rate that
//   drew it and the rate the server answered before it was sent (what the server answered while we
//   sent too fast IS its limit): counted since the previous adjustment while the client stayed busy,
//   and over at least `estimateSamples` requests (at 2 per second one second counts 1 or 2). Then the
//   rate restarts at `initialFactor` × it.
// - Each answered request that had to wait for its slot (demand above the rate) lets the rate climb:
//   quickly (`climbPerSecond` of the ceiling per second of saturated traffic) up to `holdFactor` × the
//   ceiling, where it holds; above that only a slow probe, so that a limit that was raised (or an
//   estimate a spurious 429 set too low) is found again. The probe starts at `probePerSecond` of the
//   ceiling per second and doubles every `probeDoublingMs` without a 429: at the real limit that costs
//   one 429 (and one paused Retry-After) per about 70 s of saturated traffic — under 1% of the
//   requests even at a limit of 2 per second — and an estimate ten times too low recovers in about nine
//   minutes of saturated traffic. Requests that did not wait add nothing: an idle client does not talk
//   itself into a rate it never tried.
// - Every counted 429 also pauses all requests: for its Retry-After (a fixed window's Retry-After is the
//   time to its next boundary, so the pause aligns to it), else for `pauseBaseMs` doubled per consecutive
//   429 (capped at `pauseMaxMs`).
// Releases are spaced evenly at the rate (never in bursts), so a token bucket, a sliding log and a fixed
// window all see at most ceil(rate × window) requests in any window: at holdFactor × the limit, none is
// refused. test/unit/api/rate-gate.test.ts simulates all three, with and without Retry-After.

export interface RateControlOptions {
  initialFactor: number;
  holdFactor: number;
  climbPerSecond: number;
  probePerSecond: number;
  probeDoublingMs: number;
  minRate: number;
  /** Requests per second assumed when the first 429 comes with nothing answered before it. */
  startFloor: number;
  maxRate: number;
  /** The shortest window a limit is estimated over (the first 429's). */
  windowMs: number;
  /** Once paced, the estimate's window spans at least this many requests at the rate… */
  estimateSamples: number;
  /** …but no more than this. */
  maxWindowMs: number;
  pauseBaseMs: number;
  pauseMaxMs: number;
}

export const DEFAULT_RATE_CONTROL: RateControlOptions = {
  initialFactor: 0.9,
  holdFactor: 0.96,
  climbPerSecond: 0.05,
  probePerSecond: 0.0005,
  probeDoublingMs: 60_000,
  minRate: 0.2,
  startFloor: 1,
  maxRate: 10_000,
  windowMs: 1000,
  estimateSamples: 10,
  maxWindowMs: 30_000,
  pauseBaseMs: 1000,
  pauseMaxMs: 30_000,
};

export class RateControl {
  private readonly options: RateControlOptions;
  /** Requests per second; undefined until the first 429. */
  private rate: number | undefined;
  /** The estimated limit, requests per second (what the climb and the hold are scaled by). */
  private ceiling = 0;
  private pausedUntil = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private firstLimitedAt = Number.POSITIVE_INFINITY;
  private lastReleaseAt = Number.NEGATIVE_INFINITY;
  /** The last send that did not wait for its slot: demand was below the rate then. */
  private lastIdleAt = Number.NEGATIVE_INFINITY;
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

  /** The estimated limit in requests per second, or undefined while none was met. */
  estimatedLimit(): number | undefined {
    return this.rate === undefined ? undefined : this.ceiling;
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
    const { options } = this;
    this.answered.push(sentAt);
    this.trimWindow(now);
    this.consecutiveLimited = 0;
    if (this.rate === undefined) return;
    if (sentAt < this.firstLimitedAt) {
      // Late news from before the first 429 (answers still in flight then): refine the first estimate.
      const from = this.firstLimitedAt - options.windowMs;
      const observed = this.answered.filter((t) => t > from && t < this.firstLimitedAt).length / (options.windowMs / 1000);
      this.ceiling = Math.max(this.ceiling, observed);
      this.rate = Math.max(this.rate, observed * options.initialFactor);
      return;
    }
    if (!waited) {
      this.lastIdleAt = Math.max(this.lastIdleAt, sentAt);
      return;
    }
    // One waited answer is 1/rate seconds of saturated traffic.
    const hold = options.holdFactor * this.ceiling;
    const quietPeriods = Math.floor(Math.max(0, now - this.lastDecreaseAt) / options.probeDoublingMs);
    const probe = Math.min(options.climbPerSecond, options.probePerSecond * 2 ** Math.min(quietPeriods, 30));
    const perSecond = this.rate < hold ? options.climbPerSecond : probe;
    const next = this.rate + (perSecond * this.ceiling) / this.rate;
    this.rate = Math.min(options.maxRate, this.rate < hold ? Math.min(hold, next) : next);
  }

  /** A 429 for a request sent at `sentAt`. Returns how long every request now pauses (0 if ignored). */
  recordRateLimited(sentAt: number, now: number, retryAfterMs?: number): number {
    const { options } = this;
    this.trimWindow(now);
    // What was answered in the window before this request was sent: answers to later ones may still
    // be on their way (a slow server would be underestimated by its latency). Once paced, the window
    // holds at least `estimateSamples` requests: at 2 per second a 1-s window counts 1 or 2, an
    // estimate off by half.
    // Paced, the window reaches back to the last adjustment (the server's budget was empty then too,
    // so what it answered in between is its limit × the time — a token bucket's burst, spent after the
    // first 429, would otherwise pass for a higher limit again and again), unless the client went idle
    // since (an idle stretch proves nothing about the limit), and no further than `maxWindowMs`.
    const from =
      this.rate === undefined
        ? sentAt - options.windowMs
        : Math.max(sentAt - options.maxWindowMs, Math.min(sentAt - this.estimateWindowMs(), Math.max(this.lastDecreaseAt, this.lastIdleAt)));
    const observed = this.answered.filter((t) => t > from && t <= sentAt).length / ((sentAt - from) / 1000);
    if (this.rate === undefined) {
      // Nothing answered in the window (the very first request was refused) says little about the
      // limit: start from `startFloor` per second rather than crawl at the minimum.
      this.ceiling = Math.max(options.startFloor, observed);
      this.rate = Math.max(options.minRate, this.ceiling * options.initialFactor);
      this.lastDecreaseAt = now;
      this.firstLimitedAt = now;
    } else if (sentAt >= this.lastDecreaseAt) {
      this.ceiling = Math.max(options.minRate, Math.min(this.rate, Math.max(observed, options.startFloor)));
      this.rate = Math.max(options.minRate, this.ceiling * options.initialFactor);
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

  private estimateWindowMs(): number {
    const { options } = this;
    if (this.rate === undefined) return options.windowMs;
    return Math.min(options.maxWindowMs, Math.max(options.windowMs, (options.estimateSamples * 1000) / this.rate));
  }

  /** Keeps a window more than the longest estimate's: a 429 looks at the window before its request was sent. */
  private trimWindow(now: number): void {
    const from = now - this.options.windowMs - this.options.maxWindowMs;
    while (this.answered.length > 0 && (this.answered[0] ?? 0) <= from) this.answered.shift();
  }
}
