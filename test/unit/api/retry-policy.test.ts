import { describe, expect, it } from 'vitest';
import {
  computeBackoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  type RequestClass,
  type RetryDecision,
  type RetryFailure,
} from '../../../src/api/retry-policy.js';

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 };
const half = () => 0.5;

const refused: RetryFailure = { kind: 'network', outcome: 'not-sent' };
const connectTimeout: RetryFailure = { kind: 'timeout', outcome: 'not-sent' };
const reset: RetryFailure = { kind: 'network', outcome: 'unknown' };
const headersTimeout: RetryFailure = { kind: 'timeout', outcome: 'unknown' };
const unreadable200: RetryFailure = { kind: 'protocol', outcome: 'unknown' };
const badQueryAnswer: RetryFailure = { kind: 'protocol', outcome: 'answered' };
const tooMany: RetryFailure = { kind: 'http', outcome: 'answered', status: 429, code: 1800 };
const tooManyWait: RetryFailure = { ...tooMany, retryAfterMs: 3000 };
const tooManyHour: RetryFailure = { ...tooMany, retryAfterMs: 3_600_000 };
const serverError: RetryFailure = { kind: 'http', outcome: 'answered', status: 500, code: 5000 };
const badGateway: RetryFailure = { kind: 'http', outcome: 'answered', status: 502 };
const expired: RetryFailure = { kind: 'http', outcome: 'answered', status: 401, code: 1103 };
const badKeys: RetryFailure = { kind: 'http', outcome: 'answered', status: 401, code: 1100 };
const flagged: RetryFailure = { kind: 'http', outcome: 'answered', status: 400, code: 1001 };
const noCredits: RetryFailure = { kind: 'http', outcome: 'answered', status: 403, code: 1302 };
const gone: RetryFailure = { kind: 'http', outcome: 'answered', status: 404 };
const notYetValid: RetryFailure = { kind: 'http', outcome: 'answered', status: 401, code: 1102, serverTimeMs: 1_700_000_000_000 };
const notYetValidNoDate: RetryFailure = { kind: 'http', outcome: 'answered', status: 401, code: 1102 };
const expiredWithDate: RetryFailure = { ...expired, serverTimeMs: 1_700_000_000_000 };

type Row = [
  label: string,
  requestClass: RequestClass,
  attempt: number,
  failure: RetryFailure,
  history: { unknownOutcomes: number; tokenRenewals: number; clockCorrections?: number },
  expected: RetryDecision,
];

const none = { unknownOutcomes: 0, tokenRenewals: 0 };
const oneUnknown = { unknownOutcomes: 1, tokenRenewals: 0 };
const twoUnknown = { unknownOutcomes: 2, tokenRenewals: 0 };
const backoff1 = 250; // 0.5 × 500
const backoff2 = 500; // 0.5 × 1000
const retry = (delayMs: number, reason: string, inDoubt = false, renewToken = false) =>
  ({ retry: true, delayMs, reason, renewToken, inDoubt }) as RetryDecision;
const stop = (inDoubt = false): RetryDecision => ({ retry: false, inDoubt });

const rows: Row[] = [
  // safe requests: every transient failure is retried
  ['safe: connection refused', 'safe', 1, refused, none, retry(backoff1, 'not-sent')],
  ['safe: connect timeout', 'safe', 2, connectTimeout, none, retry(backoff2, 'not-sent')],
  ['safe: reset after sending', 'safe', 1, reset, oneUnknown, retry(backoff1, 'unknown-outcome')],
  ['safe: reset again and again', 'safe', 3, reset, { unknownOutcomes: 3, tokenRenewals: 0 }, retry(1000, 'unknown-outcome')],
  ['safe: headers timeout', 'safe', 1, headersTimeout, oneUnknown, retry(backoff1, 'unknown-outcome')],
  ['safe: 429 without Retry-After', 'safe', 1, tooMany, none, retry(backoff1, 'rate-limited')],
  ['safe: 429, Retry-After wins', 'safe', 1, tooManyWait, none, retry(3000, 'rate-limited')],
  ['safe: 429, Retry-After too long', 'safe', 1, tooManyHour, none, stop()],
  ['safe: 500', 'safe', 1, serverError, none, retry(backoff1, 'server-error')],
  ['safe: 502 without envelope', 'safe', 2, badGateway, none, retry(backoff2, 'server-error')],
  ['safe: unreadable answer is not retried', 'safe', 1, badQueryAnswer, none, stop()],
  ['safe: unreadable 200 is not retried', 'safe', 1, unreadable200, oneUnknown, stop()],
  ['safe: 404 gone', 'safe', 1, gone, none, stop()],
  ['safe: bad keys', 'safe', 1, badKeys, none, stop()],
  ['safe: max attempts reached', 'safe', 4, serverError, none, stop()],
  ['safe: token expired renews once', 'safe', 1, expired, none, retry(0, 'token-expired', false, true)],
  ['safe: token expired after renewal', 'safe', 2, expired, { unknownOutcomes: 0, tokenRenewals: 1 }, stop()],
  // the clocks disagree: corrected from the server's Date header, once
  ['safe: token not valid yet (clock ahead) → correct the clock', 'safe', 1, notYetValid, none, retry(0, 'clock-skew', false, true)],
  ['safe: token not valid yet without a Date header', 'safe', 1, notYetValidNoDate, none, stop()],
  ['safe: token not valid yet after a correction', 'safe', 2, notYetValid, { unknownOutcomes: 0, tokenRenewals: 0, clockCorrections: 1 }, stop()],
  ['safe: token expired right after a renewal (clock behind) → correct the clock', 'safe', 2, expiredWithDate, { unknownOutcomes: 0, tokenRenewals: 1 }, retry(0, 'clock-skew', false, true)],
  ['create: token not valid yet → correct the clock (refused before processing)', 'create', 1, notYetValid, none, retry(0, 'clock-skew', false, true)],
  ['create: token not valid yet after an unknown → still marked', 'create', 2, notYetValid, oneUnknown, retry(0, 'clock-skew', true, true)],

  // create: retried normally when certainly nothing was created
  ['create: connection refused', 'create', 1, refused, none, retry(backoff1, 'not-sent')],
  ['create: connect timeout', 'create', 1, connectTimeout, none, retry(backoff1, 'not-sent')],
  ['create: 429', 'create', 1, tooMany, none, retry(backoff1, 'rate-limited')],
  ['create: 429 Retry-After', 'create', 2, tooManyWait, none, retry(3000, 'rate-limited')],
  ['create: 500 with a response', 'create', 1, serverError, none, retry(backoff1, 'server-error')],
  ['create: token expired', 'create', 1, expired, none, retry(0, 'token-expired', false, true)],
  ['create: flagged prompt', 'create', 1, flagged, none, stop()],
  ['create: no credits', 'create', 1, noCredits, none, stop()],

  // create: unknown outcome → at most one retry, then in doubt
  ['create: reset after sending → retry once', 'create', 1, reset, oneUnknown, retry(backoff1, 'unknown-outcome', true)],
  ['create: headers timeout → retry once', 'create', 1, headersTimeout, oneUnknown, retry(backoff1, 'unknown-outcome', true)],
  ['create: unreadable 200 → retry once', 'create', 1, unreadable200, oneUnknown, retry(backoff1, 'unknown-outcome', true)],
  ['create: second unknown → stop, in doubt', 'create', 2, reset, twoUnknown, stop(true)],
  ['create: 429 after an unknown → retry, still marked', 'create', 2, tooMany, oneUnknown, retry(backoff2, 'rate-limited', true)],
  ['create: 1302 after an unknown → in doubt', 'create', 2, noCredits, oneUnknown, stop(true)],
  ['create: 500 after an unknown, out of attempts', 'create', 4, serverError, oneUnknown, stop(true)],
  ['create: unknown on the last attempt', 'create', 4, reset, oneUnknown, stop(true)],
  ['create: refused after an unknown → retry', 'create', 2, refused, oneUnknown, retry(backoff2, 'not-sent', true)],
];

describe('decideRetry', () => {
  it.each(rows)('%s', (_label, requestClass, attempt, failure, history, expected) => {
    expect(decideRetry({ requestClass, attempt, failure, history, policy, random: half })).toEqual(expected);
  });

  it('treats an HTTP 200 carrying business code 1800 as rate limited', () => {
    const failure: RetryFailure = { kind: 'http', outcome: 'answered', status: 200, code: 1800 };
    expect(decideRetry({ requestClass: 'create', attempt: 1, failure, history: none, policy, random: half })).toMatchObject({
      retry: true,
      reason: 'rate-limited',
    });
  });
});

describe('computeBackoffDelay', () => {
  it('doubles the ceiling per attempt, capped, with full jitter', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 30_000 };
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => computeBackoffDelay(attempt, p, () => 0.999999));
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999]);
    expect(computeBackoffDelay(5, p, () => 0)).toBe(0);
  });
});
