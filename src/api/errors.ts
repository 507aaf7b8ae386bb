import { CODE } from '../contract/business-codes.js';

// The one error type of the API client, and how it reads to a user.
//
// `kind` says where a request failed; `outcome` says what that means for money: whether the server
// may have processed the request. The retry policy reads `outcome`, the executor reads `inDoubt`
// (a create whose outcome stayed unknown: the task may exist and be billed) and `retryable`.
// Messages never hold a token, a key or a URL's credentials or query string (signed CDN links):
// every URL goes through `redactUrl` before it is stored here.

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'protocol';

/**
 * What the failure tells us about the request's fate on the server:
 * - `not-sent`: it certainly never reached processing (connection refused, DNS failure, connect timeout);
 * - `answered`: the server answered with a status we could read (it decided; a 4xx/5xx/429 creates nothing);
 * - `unknown`: it was (or may have been) sent and no readable answer came back (socket closed or reset,
 *   headers/body timeout, a 200 whose body could not be read).
 */
export type RequestOutcome = 'not-sent' | 'answered' | 'unknown';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  message: string;
  outcome: RequestOutcome;
  status?: number;
  code?: number;
  retryable?: boolean;
  inDoubt?: boolean;
  retryAfterMs?: number;
  /** The server's clock when it answered (its `Date` header), ms since the epoch. */
  serverTimeMs?: number;
  gone?: boolean;
  /** Origin and path only (see redactUrl). */
  url?: string;
  attempts?: number;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly outcome: RequestOutcome;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Business code from the envelope, when there was one. */
  readonly code: number | undefined;
  /** A later attempt (another run) may succeed: 429, 5xx, network and timeouts. */
  readonly retryable: boolean;
  /** A create whose outcome is unknown: the task may have been created and billed. */
  readonly inDoubt: boolean;
  readonly retryAfterMs: number | undefined;
  /** The server's clock when it answered (its `Date` header), ms since the epoch. */
  readonly serverTimeMs: number | undefined;
  /** A CDN URL answered 403/404/410: the file is no longer there. */
  readonly gone: boolean | undefined;
  readonly url: string | undefined;
  /** How many attempts were made before giving up (set by the retry loop). */
  readonly attempts: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.kind = init.kind;
    this.outcome = init.outcome;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable ?? defaultRetryable(init);
    this.inDoubt = init.inDoubt ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.serverTimeMs = init.serverTimeMs;
    this.gone = init.gone;
    this.url = init.url;
    this.attempts = init.attempts;
  }

  /** A copy with some fields changed (the retry loop adds `attempts` and `inDoubt`). */
  with(patch: Partial<ApiErrorInit>): ApiError {
    return new ApiError({ ...this.toInit(), ...patch });
  }

  private toInit(): ApiErrorInit {
    return {
      kind: this.kind,
      message: this.message,
      outcome: this.outcome,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
      inDoubt: this.inDoubt,
      retryAfterMs: this.retryAfterMs,
      serverTimeMs: this.serverTimeMs,
      gone: this.gone,
      url: this.url,
      attempts: this.attempts,
      cause: this.cause,
    };
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** True for the error an aborted operation rejects with (DOMException or Error named AbortError). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * The error to throw when `signal` has fired: its reason when that is an Error (what fetch does), else
 * a DOMException named AbortError.
 */
export function createAbortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * A URL fit for a message: no user name or password, no query string or fragment (signed CDN links
 * carry their signature there). Unparseable input is not echoed at all.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid URL>';
  }
  const query = parsed.search ? '?…' : '';
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

/** Anything shaped like a JWT (a token signed before the current one included). */
const JWT_PATTERN = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;

/** Replaces every occurrence of each secret (keys, the current token) and any JWT in `text` by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(JWT_PATTERN, '[redacted]');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

function defaultRetryable(init: ApiErrorInit): boolean {
  if (init.kind === 'network' || init.kind === 'timeout') return true;
  if (init.kind === 'protocol') return false;
  const status = init.status ?? 0;
  return status === 429 || status >= 500 || init.code === CODE.rateLimited || init.code === CODE.internalError;
}
