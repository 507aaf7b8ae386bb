import type { ApiErrorKind, RequestOutcome } from './errors.js';
import { CODE } from '../contract/business-codes.js';

// The one retry policy of the client (pure; the loop in retry-loop.ts applies it). Two classes of request:
//
// - `safe` (queries, uploads, downloads, URL checks): repeating them costs nothing. Retried on 429,
//   5xx and every network failure or timeout, with exponential backoff and full jitter; Retry-After wins.
// - `create` (POST /videos/…): each accepted one is billed. Retried like a safe request only when it
//   certainly created nothing: not sent (connection refused, DNS failure, connect timeout) or answered
//   with 429 or 5xx (the server decided and said no). When the outcome is unknown (socket closed or reset
//   after sending, headers/body timeout, a 2xx we could not read) it is retried AT MOST ONCE in the whole
//   request's life: a task stuck in limbo is worse than a rare double charge, and the caller lists the
//   shot as "may have been billed twice" (`inDoubtRetried`). A second unknown outcome stops with
//   `inDoubt: true`, and so does any failure that follows an unknown one (the first attempt may have
//   succeeded and used the credits the retry was refused for).
// - 401 with business code 1103 (token expired) renews the token and retries once, at once, for both
//   classes: the server refused before processing.
// - 401 with 1102 (token not valid yet: this clock is ahead of the server's by more than the token's 5 s
//   of grace), or a 1103 again right after a renewal (this clock is behind by more than a token's
//   life), means the clocks disagree: the token's times are corrected from the server's `Date` header
//   and the request retried once, at once — again refused before processing. Without a Date header
//   there is nothing to correct from, and the error stands.
// - A Retry-After longer than `maxRetryAfterMs` is not waited for: the error is returned (retryable) so
//   the run ends instead of hanging for an hour.

export type RequestClass = 'safe' | 'create';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export interface RetryFailure {
  kind: ApiErrorKind;
  outcome: RequestOutcome;
  status?: number;
  code?: number;
  retryAfterMs?: number;
  /** The server's clock, when its answer said (the `Date` header). */
  serverTimeMs?: number;
}

/** What happened earlier in this request's life. */
export interface RetryHistory {
  /** Attempts whose outcome was unknown (counting the one that just failed, if unknown). */
  unknownOutcomes: number;
  tokenRenewals: number;
  /** Token times corrected from the server's clock (at most once per request). */
  clockCorrections?: number;
}

export type RetryReason = 'rate-limited' | 'server-error' | 'not-sent' | 'unknown-outcome' | 'token-expired' | 'clock-skew';

export type RetryDecision =
  | { retry: true; delayMs: number; reason: RetryReason; renewToken: boolean; inDoubt: boolean }
  | { retry: false; inDoubt: boolean };

export interface RetryInput {
  requestClass: RequestClass;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  failure: RetryFailure;
  history: RetryHistory;
  policy: RetryPolicy;
  /** Uniform in [0, 1). */
  random: () => number;
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { requestClass, attempt, failure, history, policy } = input;
  const isCreate = requestClass === 'create';
  const inDoubt = isCreate && history.unknownOutcomes > 0;
  const stop = { retry: false, inDoubt } as const;
  let reason = classifyFailure(failure);
  if (reason === undefined) return stop;
  // A token signed a moment ago that expired already: the clocks disagree, not the token's age.
  if (reason === 'token-expired' && history.tokenRenewals > 0) reason = 'clock-skew';

  if (reason === 'clock-skew') {
    if (failure.serverTimeMs === undefined || (history.clockCorrections ?? 0) > 0 || attempt >= policy.maxAttempts) return stop;
    return { retry: true, delayMs: 0, reason, renewToken: true, inDoubt };
  }
  if (reason === 'token-expired') {
    if (attempt >= policy.maxAttempts) return stop;
    return { retry: true, delayMs: 0, reason, renewToken: true, inDoubt };
  }
  if (attempt >= policy.maxAttempts) return stop;
  if (reason === 'unknown-outcome') {
    if (failure.kind === 'protocol' && !isCreate) return stop; // an unreadable answer repeats itself
    if (isCreate && history.unknownOutcomes > 1) return stop;
  }
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) return stop;
  const delayMs = failure.retryAfterMs ?? computeBackoffDelay(attempt, policy, input.random);
  return { retry: true, delayMs, reason, renewToken: false, inDoubt };
}

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))). */
export function computeBackoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Why a failure may be retried, or undefined when it may not (4xx, protocol errors of an answer). */
export function classifyFailure(failure: RetryFailure): RetryReason | undefined {
  if (failure.status === 401 && failure.code === CODE.tokenExpired) return 'token-expired';
  if (failure.status === 401 && failure.code === CODE.tokenNotYetValid) return 'clock-skew';
  if (failure.outcome === 'not-sent') return 'not-sent';
  if (failure.outcome === 'unknown') return 'unknown-outcome';
  if (failure.kind !== 'http') return undefined;
  if (failure.status === 429 || failure.code === CODE.rateLimited) return 'rate-limited';
  if ((failure.status ?? 0) >= 500 || failure.code === CODE.internalError) return 'server-error';
  return undefined;
}
