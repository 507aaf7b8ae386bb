import { ApiError, isAbortError } from './errors.js';
import { CODE } from '../contract/business-codes.js';

// One actionable line per failure, for the reporters and the run summary (bach-api.md Part 1,
// "Response codes"). Each says what happened and what to do, names the shot when there is one, and is
// built only from the error's own fields (the server's message, status, code, a redacted URL), so no
// token or key can reach it.

export interface DescribeContext {
  shotId?: string;
  /** For 1302: how many shots this run did not submit. */
  shotsNotSubmitted?: number;
  /** For 1300: the shot's duration in seconds. */
  duration?: number;
  /** For 1301: the shot's resolution. */
  resolution?: string;
}

const CHECK_KEYS = 'check BACH_ACCESS_KEY and BACH_SECRET_KEY (Bach Developer Console)';
const CHECK_CLOCK = "sync this computer's clock (NTP) — tokens are only valid within seconds of the server's time";

export function describeApiError(error: unknown, context: DescribeContext = {}): string {
  const prefix = context.shotId ? `shot ${context.shotId}: ` : '';
  if (isAbortError(error)) return `${prefix}interrupted`;
  if (!(error instanceof ApiError)) return `${prefix}${error instanceof Error ? error.message : String(error)}`;
  const text = describeByCode(error, context) ?? describeByKind(error);
  const doubt = error.inDoubt
    ? ' — the create request may have reached the server: the task may exist and be billed'
    : '';
  return `${prefix}${text}${doubt}`;
}

function describeByCode(error: ApiError, context: DescribeContext): string | undefined {
  switch (error.code) {
    case CODE.invalidParameter:
      return `the API rejected a parameter: ${error.message}`;
    case CODE.sensitiveContent:
      return 'the prompt was flagged as sensitive content — change the prompt or negative prompt';
    case CODE.authFailed:
      return `authentication failed — ${CHECK_KEYS}`;
    case CODE.authMissing:
      return `the API received no Authorization header (a proxy may strip it) — ${CHECK_KEYS}`;
    case CODE.tokenNotYetValid:
      return `the API says the token is not valid yet (this clock is ahead) — ${CHECK_CLOCK}`;
    case CODE.tokenExpired:
      return `the API says the token expired even after it was renewed (this clock is behind) — ${CHECK_CLOCK}`;
    case CODE.notFound:
      return 'the task was not found on the server — it may have expired, or BACH_BASE_URL or the keys changed since it was submitted';
    case CODE.batchNotFound:
      return 'the upload batch was not found or has expired — run the build again to upload anew';
    case CODE.durationNotInPlan:
      return `${context.duration === undefined ? 'this duration' : `a duration of ${context.duration} s`} is not included in your plan — upgrade the credit package or change the shot's duration`;
    case CODE.resolutionNotInPlan:
      return `${context.resolution === undefined ? 'this resolution' : `resolution ${context.resolution}`} is not included in your plan — upgrade the credit package or change the shot's resolution`;
    case CODE.insufficientCredits: {
      const n = context.shotsNotSubmitted;
      const notSubmitted = n === undefined ? '' : `: ${n} shot${n === 1 ? '' : 's'} not submitted`;
      return `insufficient credits${notSubmitted}; top up your credit package in the Bach Developer Console and run again (finished shots are kept)`;
    }
    case CODE.rateLimited:
      return `the API kept answering "rate limit exceeded"${attemptsText(error)} — try again later or lower --concurrency`;
    case CODE.internalError:
      return `the Bach API had an internal error${attemptsText(error)} — try again later; contact Bach support if it persists`;
    default:
      return undefined;
  }
}

function describeByKind(error: ApiError): string {
  const where = error.url ? ` (${error.url})` : '';
  if (error.gone) return `the file at ${error.url ?? 'its URL'} is no longer available (HTTP ${error.status ?? '?'}) — the link has expired`;
  switch (error.kind) {
    case 'network':
      return `could not talk to the Bach API${where}: ${error.message}${attemptsText(error)} — check the network and BACH_BASE_URL`;
    case 'timeout':
      return `the Bach API did not answer in time${where}: ${error.message}${attemptsText(error)} — try again later`;
    case 'protocol':
      return `unexpected answer from the Bach API${where}: ${error.message} — is BACH_BASE_URL the Bach API?`;
    case 'http':
      return describeStatus(error, where);
  }
}

function describeStatus(error: ApiError, where: string): string {
  const status = error.status ?? 0;
  const code = error.code === undefined ? '' : `, code ${error.code}`;
  const head = `the Bach API answered HTTP ${status}${code}${where}: ${error.message}`;
  if (status === 429) return `${head}${attemptsText(error)} — try again later or lower --concurrency`;
  if (status >= 500) return `${head}${attemptsText(error)} — try again later`;
  if (status === 401 || status === 403) return `${head} — ${CHECK_KEYS}`;
  if (status >= 300 && status < 400) return `${head} — BACH_BASE_URL redirects; set it to the final API address`;
  return head;
}

function attemptsText(error: ApiError): string {
  return error.attempts !== undefined && error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
}
