import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Env } from '../api/credentials.js';
import type { RetryPolicy } from '../api/retry-policy.js';
import { systemClock, type Clock } from '../util/clock.js';
import { readVersion } from '../version.js';
import type { CallOptions, RemoteBackend } from './backend.js';
import { readOrCheckCapabilities, type RemoteCapabilities } from './capabilities.js';
import { DEFAULT_CLAIM_POLICY, type ClaimOwner, type ClaimPolicy } from './claim-record.js';
import { acquireClaim, readClaim, type ClaimHandle, type ClaimView } from './claims.js';
import { createFolderBackend } from './folder-backend.js';
import { lookupResults, type LookupOptions, type LookupResult } from './lookup.js';
import { pullResult, type PullOutcome, type PullRequest } from './pull.js';
import { pushResult, type PushOutcome, type PushRequest } from './push.js';
import { isAbortError, RemoteError, type RemoteResult } from './remote-error.js';
import { REMOTE_RETRY_POLICY } from './remote-retry.js';
import { describeReadOnly, readSigningKey, type EnabledRemoteSettings, type ReadOnlyReason } from './remote-settings.js';
import { resolveS3Config } from './s3-config.js';
import { DEFAULT_REMOTE_TIMEOUTS, type RemoteTimeouts } from './timeouts.js';

// The team cache as the rest of bach-render sees it: one object per run, whatever the store. Every
// call returns a RemoteResult — a failure is a value with one line to print, never an exception that
// could take local work down with it (only a programming error, such as a malformed fingerprint,
// throws). The caller decides what a failure means: a warning, or under --require-remote an error.
//
// - Nothing touches the network until a call is made; the S3 code (undici agent, aws4fetch) is
//   imported only here, only for an s3:// remote.
// - An error that takes the whole remote out (unreachable, timeout, missing bucket, refused
//   credentials) is remembered: later calls return it at once instead of waiting for it again.
//   A refused write is remembered for writes only; reads go on.
// - Read-only (settings): push and claim return a 'read-only' error without a request.
// - Claims first check, once per remote, that the store refuses a second conditional create.

export interface OpenTeamCacheOptions {
  settings: EnabledRemoteSettings;
  /** The process environment (AWS_*, BACH_REMOTE_SIGNING_KEY): never a project's .env. */
  env: Env;
  /** The project's `.bach/` folder: the capability check is remembered there. */
  stateDir: string;
  clock?: Clock;
  /** Who claims; default: a random id, this host, this pid. */
  owner?: ClaimOwner;
  claimPolicy?: ClaimPolicy;
  timeouts?: Partial<RemoteTimeouts>;
  retryPolicy?: RetryPolicy;
}

export interface TeamClaim {
  readonly fingerprint: string;
  generation(): number;
  renew(options?: CallOptions): Promise<RemoteResult<'renewed' | 'lost'>>;
  recordTask(task: { taskId: string; apiOrigin: string }, options?: CallOptions): Promise<RemoteResult<'recorded' | 'lost'>>;
  complete(options?: CallOptions): Promise<RemoteResult<void>>;
  release(options?: CallOptions): Promise<RemoteResult<void>>;
}

export type TeamClaimOutcome =
  | { kind: 'won'; claim: TeamClaim; previous: ClaimView | null }
  | { kind: 'held'; by: ClaimView }
  | { kind: 'result-present' };

export interface TeamCache {
  /** How messages name it: `s3://bucket/prefix` (with the endpoint when not AWS) or the folder. */
  readonly name: string;
  readonly readOnly: boolean;
  readonly readOnlyReason: ReadOnlyReason | undefined;
  /** A signing key is configured: pushes are signed, pulls without a lock entry must verify. */
  readonly signed: boolean;
  readonly claimPolicy: ClaimPolicy;
  lookup(fingerprints: readonly string[], options?: LookupOptions): Promise<RemoteResult<LookupResult>>;
  pull(request: PullRequest, options?: CallOptions): Promise<RemoteResult<PullOutcome>>;
  push(request: PushRequest, options?: CallOptions): Promise<RemoteResult<PushOutcome>>;
  claim(fingerprint: string, options?: CallOptions): Promise<RemoteResult<TeamClaimOutcome>>;
  readClaim(fingerprint: string, options?: CallOptions): Promise<RemoteResult<ClaimView | null>>;
  checkCapabilities(options?: CallOptions): Promise<RemoteResult<RemoteCapabilities>>;
  /** Requests sent so far. */
  requestCount(): number;
  /** The error that took the remote out of service for this run, if any. */
  disabledBy(): RemoteError | undefined;
  close(): Promise<void>;
}

/**
 * Opens the run's team cache. Sends nothing; loads the S3 code for an s3:// remote. Throws (BachError)
 * only for a configuration that resolveRemoteSettings, given the same env, would have refused already.
 */
export async function openTeamCache(options: OpenTeamCacheOptions): Promise<TeamCache> {
  const { settings, env } = options;
  const clock = options.clock ?? systemClock;
  const timeouts = { ...DEFAULT_REMOTE_TIMEOUTS, ...options.timeouts };
  const signingKey = readSigningKey(env);
  const location = settings.location;
  let backend: RemoteBackend;
  let remoteId: string;
  let secrets: string[] = signingKey === undefined ? [] : [signingKey];
  if (location.kind === 's3') {
    const config = resolveS3Config(location, env);
    const { createS3Backend } = await import('./s3-backend.js');
    backend = createS3Backend({ config, clock, timeouts, retryPolicy: options.retryPolicy ?? REMOTE_RETRY_POLICY });
    remoteId = `${location.url} at ${config.endpoint}`;
    secrets = [...secrets, config.credentials?.secretAccessKey ?? '', config.credentials?.sessionToken ?? ''].filter((s) => s.length >= 8);
  } else {
    backend = createFolderBackend({ root: location.path, clock, timeoutMs: timeouts.headersMs });
    remoteId = location.path;
  }
  const owner = options.owner ?? { id: randomUUID(), host: hostname(), pid: process.pid };
  const policy = options.claimPolicy ?? DEFAULT_CLAIM_POLICY;
  const claimContext = { backend, owner, policy };
  const tool = `bach-render ${readVersion()}`;
  let disabled: RemoteError | undefined;
  let writeRefused: RemoteError | undefined;
  let claimsChecked: Promise<RemoteCapabilities> | undefined;

  const redact = (text: string | undefined) => (text === undefined ? text : secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text));

  const guard = async <T>(writes: boolean, work: () => Promise<T>): Promise<RemoteResult<T>> => {
    if (disabled) return { ok: false, error: disabled };
    if (writes && settings.readOnly) {
      const reason = settings.readOnlyReason === undefined ? 'read-only' : describeReadOnly(settings.readOnlyReason);
      return { ok: false, error: new RemoteError({ kind: 'read-only', remote: backend.display, detail: `read-only here (${reason})`, advice: 'nothing is pushed or claimed' }) };
    }
    if (writes && writeRefused) return { ok: false, error: writeRefused };
    try {
      return { ok: true, value: await work() };
    } catch (caught) {
      const error = toRemoteError(caught, backend.display);
      const clean = error.with({ detail: redact(error.detail) ?? '', advice: redact(error.advice) });
      if (clean.disablesRemote) disabled = clean;
      if (writes && clean.kind === 'denied') writeRefused = clean;
      return { ok: false, error: clean };
    }
  };

  const wrapClaim = (handle: ClaimHandle): TeamClaim => ({
    fingerprint: handle.fingerprint,
    generation: () => handle.generation(),
    renew: (callOptions) => guard(true, () => handle.renew(callOptions)),
    recordTask: (task, callOptions) => guard(true, () => handle.recordTask(task, callOptions)),
    complete: (callOptions) => guard(true, () => handle.complete(callOptions)),
    release: (callOptions) => guard(true, () => handle.release(callOptions)),
  });

  const checkCapabilities = (callOptions?: CallOptions) => readOrCheckCapabilities(backend, remoteId, options.stateDir, callOptions);

  return {
    name: backend.display,
    readOnly: settings.readOnly,
    readOnlyReason: settings.readOnlyReason,
    signed: signingKey !== undefined,
    claimPolicy: policy,
    lookup: (fingerprints, lookupOptions) => guard(false, () => lookupResults(backend, fingerprints, lookupOptions)),
    pull: (request, callOptions) => guard(false, () => pullResult({ backend, signingKey }, request, callOptions)),
    push: (request, callOptions) => guard(true, () => pushResult({ backend, signingKey, tool }, request, callOptions)),
    claim: (fingerprint, callOptions) =>
      guard(true, async (): Promise<TeamClaimOutcome> => {
        claimsChecked ??= checkCapabilities(callOptions);
        const capabilities = await claimsChecked.catch((error: unknown) => {
          claimsChecked = undefined; // a failed check is asked again next time
          throw error;
        });
        if (!capabilities.conditionalCreate) {
          throw new RemoteError({
            kind: 'unsupported',
            remote: backend.display,
            detail: 'this store does not refuse a second conditional create (If-None-Match is ignored), so claims cannot be guaranteed: two machines may pay for the same shot',
            advice: `use a store that honours it (AWS S3, Cloudflare R2, MinIO, Ceph RGW), or delete .bach/remote-capabilities.json to check again`,
          });
        }
        const outcome = await acquireClaim(claimContext, fingerprint, callOptions);
        return outcome.kind === 'won' ? { ...outcome, claim: wrapClaim(outcome.claim) } : outcome;
      }),
    readClaim: (fingerprint, callOptions) => guard(false, () => readClaim(claimContext, fingerprint, callOptions)),
    checkCapabilities: (callOptions) => guard(true, () => checkCapabilities(callOptions)),
    requestCount: () => backend.requestCount(),
    disabledBy: () => disabled,
    close: () => backend.close(),
  };
}

/** Anything a call threw, as a RemoteError; errors that are bugs (no errno code) are thrown on. */
function toRemoteError(error: unknown, remote: string): RemoteError {
  if (error instanceof RemoteError) return error;
  if (isAbortError(error)) return new RemoteError({ kind: 'aborted', remote, detail: 'stopped', outcome: 'unknown', cause: error });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new RemoteError({ kind: 'local', remote, detail: `local file error: ${(error as Error).message}`, code, advice: 'check the disk space and permissions of the project folder', cause: error });
  }
  throw error;
}
