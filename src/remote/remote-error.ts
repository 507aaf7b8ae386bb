// The one error type of the team cache. The remote is an accelerator: every failure becomes one of a
// few kinds, each with one line that names the remote (never a secret) and says what to do, so the
// caller can print it as a warning and go on locally — or stop, under --require-remote. The transport
// fields (`outcome`, `status`, `transport`) are what the retry policy reads.

export type RemoteErrorKind =
  /** Connection refused, host not found, network down; a folder on a share that went away. */
  | 'unreachable'
  /** The server took a connection and then said nothing in time (a full Ceph store never answers). */
  | 'timeout'
  /** The bucket, or the shared folder, does not exist. */
  | 'missing'
  /** The credentials were refused: wrong key or secret, expired session token, wrong region. */
  | 'credentials'
  /** The credentials are fine but may not do this (typically: write to a read-only bucket). */
  | 'denied'
  /** An object is not what it claims to be: a hash, size, shape or signature does not match. */
  | 'corrupt'
  /** The server does not refuse a second conditional create: claims cannot be guaranteed there. */
  | 'unsupported'
  /** The team cache is read-only here and the call would write. */
  | 'read-only'
  /** The server failed (5xx after retries) or answered something we do not understand. */
  | 'server'
  /** A local file could not be read or written (disk full, permissions, the file changed). */
  | 'local'
  /** The caller's signal stopped the call. */
  | 'aborted';

/** Whether the request may have reached the server: what a retry must take into account. */
export type RemoteOutcome = 'not-sent' | 'answered' | 'unknown';

export interface RemoteErrorInit {
  kind: RemoteErrorKind;
  /** How the remote is shown: `s3://bucket/prefix at ENDPOINT` (the endpoint only when not AWS) or the folder. */
  remote: string;
  /** What went wrong, in a few words. */
  detail: string;
  /** What to do about it. */
  advice?: string;
  /** The object concerned, when there is one (relative to the remote). */
  key?: string;
  outcome?: RemoteOutcome;
  status?: number;
  /** The server's error code (S3 `<Code>`) or the errno code. */
  code?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class RemoteError extends Error {
  readonly kind: RemoteErrorKind;
  readonly remote: string;
  readonly detail: string;
  readonly advice: string | undefined;
  readonly key: string | undefined;
  readonly outcome: RemoteOutcome;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: RemoteErrorInit) {
    super(formatLine(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'RemoteError';
    this.kind = init.kind;
    this.remote = init.remote;
    this.detail = init.detail;
    this.advice = init.advice;
    this.key = init.key;
    this.outcome = init.outcome ?? 'answered';
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** A copy with some fields changed (a key added by a caller that knows which object it was). */
  with(patch: Partial<RemoteErrorInit>): RemoteError {
    return new RemoteError({ ...this.toInit(), ...patch });
  }

  /** The whole remote is out of service (not just one object): later calls need not try again. */
  get disablesRemote(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout' || this.kind === 'missing' || this.kind === 'credentials';
  }

  private toInit(): RemoteErrorInit {
    return {
      kind: this.kind,
      remote: this.remote,
      detail: this.detail,
      outcome: this.outcome,
      ...(this.advice === undefined ? {} : { advice: this.advice }),
      ...(this.key === undefined ? {} : { key: this.key }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.code === undefined ? {} : { code: this.code }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    };
  }
}

/** Kinds about one object: their line names it. The others are about the whole remote. */
const OBJECT_KINDS = new Set<RemoteErrorKind>(['corrupt', 'denied', 'server', 'local']);

/** `team cache REMOTE: DETAIL (object KEY); ADVICE` — one line. */
function formatLine(init: RemoteErrorInit): string {
  const object = init.key === undefined || !OBJECT_KINDS.has(init.kind) ? '' : ` (object ${init.key})`;
  const advice = init.advice === undefined ? '' : `; ${init.advice}`;
  return `team cache ${init.remote}: ${init.detail}${object}${advice}`.replace(/\s*\n\s*/g, ' ');
}

/** What every call of the team cache returns: the callers decide what a failure means for the build. */
export type RemoteResult<T> = { ok: true; value: T } | { ok: false; error: RemoteError };

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}
