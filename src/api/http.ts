import type { Readable } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import { ApiError, createAbortError, redactUrl } from './errors.js';
import { loadUndici } from './undici.js';
import { parseRetryAfter, type HttpAnswer } from './wire.js';

// undici, as the client uses it: one keep-alive Agent per client (connection pools per origin), a second
// view of it that follows redirects for CDN links, and one attempt of a request with its failure
// classified into an ApiError. No retries here: retry-loop.ts is the only retry layer.

export interface HttpTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From the request sent to the response headers (API calls, downloads). */
  headersMs: number;
  /** Idle time between two chunks of a response body. */
  bodyMs: number;
  /** Headers timeout of the synchronous multipart upload (the server answers when it is done). */
  uploadHeadersMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyMs: 60_000,
  uploadHeadersMs: 10 * 60_000,
};

/** JSON answers larger than this are refused (a misdirected base URL serving a video, say). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Idle sockets are kept 4 s (undici's default, below the 5 s of Node servers and the minutes of load
 * balancers): a create sent on a socket the server has just closed fails as "other side closed", which
 * we must count as an unknown outcome. Keeping idle sockets shorter than the server does avoids that race.
 */
export async function createAgent(timeouts: HttpTimeouts): Promise<Agent> {
  const { Agent } = await loadUndici();
  return new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    connections: 32,
  });
}

/** CDN links may redirect (signed storage URLs); the API itself never is followed. */
export async function createRedirectingDispatcher(dispatcher: Dispatcher): Promise<Dispatcher> {
  const { interceptors } = await loadUndici();
  return dispatcher.compose(interceptors.redirect({ maxRedirections: 5 }));
}

/** A body streamed in pieces whose total length is known before it is sent (the multipart upload). */
export interface StreamedBody {
  contentType: string;
  contentLength: number;
  body: AsyncIterable<Uint8Array>;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | StreamedBody;
  signal?: AbortSignal;
  headersTimeout?: number;
}

/** One attempt; the whole body is read (bounded). Throws ApiError for transport failures. */
export async function sendRequest(dispatcher: Dispatcher, req: JsonRequest, now: number): Promise<HttpAnswer> {
  const url = redactUrl(req.url);
  let response: Dispatcher.ResponseData;
  const streamed = typeof req.body === 'object' ? req.body : undefined;
  const headers = streamed
    ? { ...req.headers, 'content-type': streamed.contentType, 'content-length': String(streamed.contentLength) }
    : req.headers;
  try {
    response = await dispatcher.request({
      ...originAndPath(req.url),
      method: req.method,
      headers,
      // undici takes an async iterable body (Dispatcher.md: `Iterable | AsyncIterable`); its types
      // leave it out.
      body: streamed ? (streamed.body as unknown as Readable) : typeof req.body === 'string' ? req.body : null,
      signal: req.signal,
      ...(req.headersTimeout === undefined ? {} : { headersTimeout: req.headersTimeout }),
    });
  } catch (error) {
    throw classifyTransportError(error, req.signal, url);
  }
  const status = response.statusCode;
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now);
  const serverTimeMs = parseHttpDate(response.headers.date);
  const answer: HttpAnswer = {
    status,
    text: '',
    url,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(serverTimeMs === undefined ? {} : { serverTimeMs }),
  };
  try {
    answer.text = await readBodyText(response.body, url);
  } catch (error) {
    if (req.signal?.aborted) throw createAbortError(req.signal);
    // A refusal whose body broke off is still a refusal: the status decides. A 2xx that broke off is
    // the case "a 200 whose body could not be read": its outcome is unknown.
    if (status < 200 || status >= 300) return answer;
    if (error instanceof ApiError) throw error;
    throw classifyTransportError(error, req.signal, url, 'unknown');
  }
  return answer;
}

/** An HTTP `Date` header (RFC 9110 IMF-fixdate; whole seconds) as ms since the epoch. */
export function parseHttpDate(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A transport failure as an ApiError. `not-sent` only when the connection was never made (refused, DNS,
 * unreachable, connect timeout); anything later — reset, closed socket, headers or body timeout — is
 * `unknown`, since the request may have been written and processed.
 */
export function classifyTransportError(
  error: unknown,
  signal: AbortSignal | undefined,
  url: string,
  forceOutcome?: 'unknown',
): Error {
  if (signal?.aborted) return createAbortError(signal);
  if (error instanceof ApiError) return error;
  const code = readErrorCode(error);
  const notSent = forceOutcome === undefined && NOT_SENT_CODES.has(code);
  const timeout = TIMEOUT_CODES[code];
  const base = { url, cause: error, outcome: notSent ? ('not-sent' as const) : ('unknown' as const) };
  if (timeout) return new ApiError({ ...base, kind: 'timeout', message: timeout });
  const described = NETWORK_MESSAGES[code] ?? (error instanceof Error ? error.message : String(error));
  return new ApiError({ ...base, kind: 'network', message: code ? `${described} (${code})` : described });
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled',
};

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

/**
 * A URL as a dispatcher takes it (undici's Dispatcher.request: the origin apart from the path and
 * query). A URL that does not parse, or is not http(s), throws here, inside the request's try: it is
 * classified like any other request that could not be sent.
 */
export function originAndPath(rawUrl: string): { origin: string; path: string } {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw Object.assign(new Error(`not an http(s) URL: ${url.protocol}`), { code: 'ERR_INVALID_URL' });
  return { origin: url.origin, path: `${url.pathname}${url.search}` };
}

function readErrorCode(error: unknown): string {
  const candidates = [error, (error as { cause?: unknown })?.cause, (error as { errors?: unknown[] })?.errors?.[0]];
  for (const candidate of candidates) {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return '';
}

async function readBodyText(body: Dispatcher.ResponseData['body'], url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_JSON_BYTES) {
      // Leaving the loop makes the iterator destroy the body (with its error handled).
      throw new ApiError({ kind: 'protocol', outcome: 'unknown', url, message: 'the answer is too large for JSON' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
