import { classifyTransportError } from '../api/http.js';
import { ApiError } from '../api/errors.js';
import { RemoteError } from './remote-error.js';

// An S3 server's refusal, or a request that never got an answer, as one RemoteError whose line says
// what to do (pure). The server's `<Code>` decides where the status alone is ambiguous (403 is a wrong
// secret, an expired token, a skewed clock or a missing permission). Secrets never reach a message:
// we only ever quote the status, the code and the variable names.

export interface AnswerContext {
  display: string;
  bucket: string;
  key?: string | undefined;
  writing: boolean;
  anonymous: boolean;
  retryAfterMs?: number | undefined;
}

const READ_ONLY_ADVICE = 'use read-only mode (--remote-read-only or BACH_REMOTE_READ_ONLY=1) for this job, or grant it s3:PutObject on the prefix';

export function classifyS3Answer(status: number, code: string | undefined, context: AnswerContext): RemoteError {
  const base = {
    remote: context.display,
    status,
    outcome: 'answered' as const,
    ...(code === undefined ? {} : { code }),
    ...(context.key === undefined ? {} : { key: context.key }),
    ...(context.retryAfterMs === undefined ? {} : { retryAfterMs: context.retryAfterMs }),
  };
  const said = code === undefined ? `HTTP ${status}` : `${code}, HTTP ${status}`;
  const credentials = (detail: string, advice: string) => new RemoteError({ ...base, kind: 'credentials', detail: `${detail} (${said})`, advice });
  switch (code) {
    case 'NoSuchBucket':
      return new RemoteError({ ...base, key: undefined, kind: 'missing', detail: `the bucket "${context.bucket}" does not exist`, advice: 'create it or fix the remote URL' });
    case 'InvalidAccessKeyId':
      return credentials('the server does not know this access key', 'check AWS_ACCESS_KEY_ID (and AWS_ENDPOINT_URL_S3: is it the right server?)');
    case 'SignatureDoesNotMatch':
      return credentials('the secret key is wrong', 'check AWS_SECRET_ACCESS_KEY');
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
    case 'InvalidToken':
      return credentials('the session token is expired or invalid', 'refresh AWS_SESSION_TOKEN (or unset it for long-lived keys)');
    case 'RequestTimeTooSkewed':
      return credentials("this machine's clock is too far from the server's", 'set the clock right (NTP)');
    case 'AuthorizationHeaderMalformed':
    case 'PermanentRedirect':
    case 'IllegalLocationConstraintException':
      return credentials('the bucket is in another region than the one signed for', "set AWS_REGION to the bucket's region");
    case 'XAmzContentSHA256Mismatch':
    case 'BadDigest':
      return new RemoteError({ ...base, kind: 'local', detail: `the file changed while it was uploaded (${said})`, advice: 'push again' });
    default:
      break;
  }
  if (status === 301 || status === 307) return credentials('the bucket is in another region than the one signed for', "set AWS_REGION to the bucket's region");
  if (status === 401 || status === 403) {
    if (context.anonymous) {
      return new RemoteError({ ...base, kind: 'denied', detail: `anonymous access refused (${said})`, advice: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' });
    }
    return context.writing
      ? new RemoteError({ ...base, kind: 'denied', detail: `no permission to write (${said})`, advice: READ_ONLY_ADVICE })
      : new RemoteError({ ...base, kind: 'denied', detail: `no permission to read (${said})`, advice: 'grant s3:GetObject and s3:ListBucket on the prefix' });
  }
  if (status === 429 || status >= 500) {
    return new RemoteError({ ...base, kind: 'server', detail: `the server failed (${said})`, advice: 'the next build tries again' });
  }
  return new RemoteError({ ...base, kind: 'server', detail: `unexpected answer (${said})`, advice: 'is the endpoint an S3 server?' });
}

/**
 * A request that got no answer. Reuses the API client's classification of undici's failures (one place
 * decides what "not sent" means), then says it the team cache's way.
 */
export function classifyS3Transport(error: unknown, signal: AbortSignal | undefined, display: string, url: string, key?: string): RemoteError {
  if (error instanceof RemoteError) return error;
  const classified = classifyTransportError(error, signal, url);
  const keyPart = key === undefined ? {} : { key };
  if (!(classified instanceof ApiError)) {
    return new RemoteError({ kind: 'aborted', remote: display, detail: 'stopped', outcome: 'unknown', cause: error, ...keyPart });
  }
  if (classified.kind === 'timeout' && classified.outcome !== 'not-sent') {
    return new RemoteError({
      kind: 'timeout',
      remote: display,
      detail: `the server did not answer in time (${classified.message})`,
      advice: 'is the store full or overloaded?',
      outcome: 'unknown',
      cause: error,
      ...keyPart,
    });
  }
  return new RemoteError({
    kind: 'unreachable',
    remote: display,
    detail: `cannot reach the server (${classified.message})`,
    advice: 'check AWS_ENDPOINT_URL_S3 and the network',
    outcome: classified.outcome,
    cause: error,
    ...keyPart,
  });
}
