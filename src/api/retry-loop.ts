import { ApiError, createAbortError } from './errors.js';
import type { GatePriority, Permit, RateGate } from './rate-gate.js';
import { decideRetry, type RequestClass, type RetryPolicy, type RetryReason } from './retry-policy.js';
import type { Clock } from '../util/clock.js';
import type { ApiEvent, ApiRequestKind } from './types.js';
import { CODE } from '../contract/business-codes.js';

// The client's single retry loop: every API call and every CDN transfer goes through runWithRetry,
// which asks retry-policy.ts what to do and waits through the rate gate. Nothing above it retries.
// - An abort (the caller's signal) stops at once, between attempts or inside one, and is never retried.
// - Errors other than ApiError (a bug, a local file that cannot be read) are thrown as they are.
// - The error finally thrown carries `attempts` and, for a create, `inDoubt` (see the policy).

export interface RetryLoopOptions {
  request: ApiRequestKind;
  requestClass: RequestClass;
  policy: RetryPolicy;
  /** Waits between attempts (sleep) and jitters them (random). */
  clock: Pick<Clock, 'sleep' | 'random'>;
  signal?: AbortSignal;
  /** API requests pass through the gate; CDN transfers do not. */
  gate?: RateGate;
  /** The request's class at the gate (default: a query). */
  priority?: GatePriority;
  /**
   * The first attempt's permit, granted before the loop asked (the submitter's creates: the build
   * sends it with the create, submitter/remote-gate.ts); later attempts ask the gate as usual.
   */
  firstPermit?: Promise<Permit>;
  emit: (event: ApiEvent) => void;
  /** Called before the retry that follows a 1103 (token expired). */
  renewToken?: () => void;
  /**
   * Called before the retry that follows a 1102 (token not valid yet) or a repeated 1103: the token's
   * times are to follow the server's clock (its Date header). Returns false when that changes nothing
   * worth a retry (the clocks agree: the refusal has another cause), and the error then stands.
   */
  correctClock?: (serverTimeMs: number) => boolean;
  /** Removes secrets from any text that leaves the loop. */
  redact: (text: string) => string;
}

export interface RetryOutcome<T> {
  value: T;
  attempts: number;
  /** An attempt's outcome was unknown and the request was sent again. */
  inDoubtRetried: boolean;
}

export async function runWithRetry<T>(
  attemptOnce: (attempt: number) => Promise<T>,
  options: RetryLoopOptions,
): Promise<RetryOutcome<T>> {
  const { signal, gate } = options;
  const history = { unknownOutcomes: 0, tokenRenewals: 0, clockCorrections: 0 };
  for (let attempt = 1; ; attempt += 1) {
    if (signal?.aborted) throw createAbortError(signal);
    const granted = attempt === 1 && options.firstPermit ? options.firstPermit : gate?.acquire(signal, options.priority);
    const permit = gate ? await granted : undefined;
    try {
      const value = await attemptOnce(attempt);
      if (gate && permit) gate.recordAnswered(permit);
      return { value, attempts: attempt, inDoubtRetried: history.unknownOutcomes > 0 };
    } catch (error) {
      if (signal?.aborted) throw createAbortError(signal);
      if (!(error instanceof ApiError)) throw error;
      let pauseMs = 0;
      if (gate && permit) {
        if (isRateLimited(error)) pauseMs = gate.recordRateLimited(permit, error.retryAfterMs);
        else if (error.outcome === 'answered') gate.recordAnswered(permit);
      }
      if (error.outcome === 'unknown') history.unknownOutcomes += 1;
      const decision = decideRetry({
        requestClass: options.requestClass,
        attempt,
        failure: error,
        history,
        policy: options.policy,
        random: options.clock.random,
      });
      const corrected = decision.retry && decision.reason === 'clock-skew' ? (options.correctClock?.(error.serverTimeMs!) ?? false) : true;
      if (!decision.retry || !corrected) {
        throw error.with({ attempts: attempt, inDoubt: decision.inDoubt, message: options.redact(error.message) });
      }
      if (decision.reason === 'clock-skew') {
        history.clockCorrections += 1;
      } else if (decision.renewToken) {
        history.tokenRenewals += 1;
        options.renewToken?.();
      }
      // A clock correction is announced by the client itself, once (see client.ts), not per request.
      if (decision.reason !== 'clock-skew') {
        options.emit({
          type: eventType(decision.reason, options.requestClass),
          request: options.request,
          attempt,
          delayMs: Math.max(decision.delayMs, pauseMs),
          reason: options.redact(describeFailure(error)),
        });
      }
      await options.clock.sleep(decision.delayMs, signal).catch(() => {});
    }
  }
}

/** One line for events: status and code when there are, then the message. */
export function describeFailure(error: ApiError): string {
  if (error.kind === 'http') {
    const code = error.code === undefined ? '' : ` (code ${error.code})`;
    return `HTTP ${error.status ?? '?'}${code}: ${error.message}`;
  }
  return error.kind === 'protocol' ? `unexpected answer: ${error.message}` : error.message;
}

function isRateLimited(error: ApiError): boolean {
  return error.kind === 'http' && (error.status === 429 || error.code === CODE.rateLimited);
}

function eventType(reason: RetryReason, requestClass: RequestClass): ApiEvent['type'] {
  if (reason === 'rate-limited') return 'api:rate-limited';
  if (reason === 'unknown-outcome' && requestClass === 'create') return 'api:in-doubt';
  return 'api:retry';
}
