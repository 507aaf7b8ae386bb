import { decideRetry, type RetryFailure, type RetryPolicy } from '../api/retry-policy.js';
import type { Clock } from '../util/clock.js';
import { RemoteError } from './remote-error.js';

// The team cache's retry loop: the API client's one pure policy (retry-policy.ts) decides, this loop
// only applies it to RemoteErrors. Every remote request is "safe" in the policy's sense: reads repeat
// freely, and a conditional create that is sent twice cannot create twice (its callers read back an
// 'exists' they may have caused themselves). aws4fetch's own 10 retries are never used (we only sign
// with it), so nothing else retries.
//
// Decided, for an accelerator that must never hold a build up:
// - fewer and shorter retries than the API's (3 attempts, 200 ms to 2 s apart);
// - a timeout is not retried: a store that did not answer in 20 s (a full Ceph cluster) will not
//   answer the next attempt either, and the caller stops using the remote for the run anyway;
// - S3's 409 ConditionalRequestConflict (two conditional writes at once) counts as a 503: the next
//   attempt gets the real answer (created, or 412 exists).

export const REMOTE_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 10_000,
};

export interface RemoteRetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignal | undefined;
}

export async function runWithRemoteRetry<T>(attemptOnce: (attempt: number) => Promise<T>, options: RemoteRetryOptions): Promise<T> {
  let unknownOutcomes = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce(attempt);
    } catch (error) {
      if (!(error instanceof RemoteError) || error.kind === 'aborted' || error.kind === 'timeout') throw error;
      if (options.signal?.aborted) throw error;
      if (error.outcome === 'unknown') unknownOutcomes += 1;
      const decision = decideRetry({
        requestClass: 'safe',
        attempt,
        failure: toRetryFailure(error),
        history: { unknownOutcomes, tokenRenewals: 0 },
        policy: options.policy,
        random: options.clock.random,
      });
      if (!decision.retry) throw error;
      try {
        await options.clock.sleep(decision.delayMs, options.signal);
      } catch {
        throw error.with({ kind: 'aborted', detail: 'stopped', advice: undefined });
      }
    }
  }
}

function toRetryFailure(error: RemoteError): RetryFailure {
  const status = error.code === 'ConditionalRequestConflict' ? 503 : error.status;
  return {
    kind: status !== undefined ? 'http' : error.outcome === 'answered' ? 'protocol' : 'network',
    outcome: error.outcome,
    ...(status === undefined ? {} : { status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
}
