import { createWriteStream } from 'node:fs';
import { createHashingTap } from '../util/hash.js';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { ApiError, createAbortError, redactUrl } from './errors.js';
import { classifyTransportError, originAndPath } from './http.js';
import { parseRetryAfter } from './wire.js';

// CDN transfers: result downloads and URL checks. Plain GET/HEAD without the Authorization header
// (bach-api.md Part 1: result and CDN URLs are fetched like public links), redirects followed.
// One attempt each; the retry loop repeats a download from the start of the file.

/** 403/404/410: the link expired or the file was removed; asking again will not bring it back. */
const GONE_STATUSES = new Set([403, 404, 410]);

export interface DownloadAttempt {
  url: string;
  destPath: string;
  signal?: AbortSignal;
  expectedSize?: number;
  now: number;
}

/** Streams the body to destPath (truncating it), hashing on the fly; flushed to disk before it returns. */
export async function downloadOnce(
  dispatcher: Dispatcher,
  attempt: DownloadAttempt,
): Promise<{ size: number; sha256: string }> {
  const url = redactUrl(attempt.url);
  const response = await sendCdnRequest(dispatcher, 'GET', attempt.url, attempt.signal);
  const status = response.statusCode;
  if (status !== 200) {
    await response.body.dump().catch(() => {});
    throw createCdnStatusError(status, url, parseRetryAfter(response.headers['retry-after'], attempt.now));
  }
  const declared = readContentLength(response.headers['content-length']);
  if (declared !== undefined && attempt.expectedSize !== undefined && declared !== attempt.expectedSize) {
    await response.body.dump().catch(() => {});
    throw sizeError(`the server offers ${declared} bytes, ${attempt.expectedSize} were expected`, url);
  }
  const tap = createHashingTap();
  const file = createWriteStream(attempt.destPath, { flush: true });
  let localError: unknown;
  file.once('error', (error) => {
    localError = error;
  });
  try {
    await pipeline(response.body, tap.stream, file, attempt.signal ? { signal: attempt.signal } : {});
  } catch (error) {
    if (attempt.signal?.aborted) throw createAbortError(attempt.signal);
    if (localError !== undefined) throw localError; // disk full, permissions: not the network's fault
    throw classifyTransportError(error, attempt.signal, url, 'unknown');
  }
  const { sha256, size } = tap.digest();
  if (declared !== undefined && size !== declared) {
    throw new ApiError({ kind: 'network', outcome: 'unknown', url, message: `download cut short at ${size} of ${declared} bytes` });
  }
  if (attempt.expectedSize !== undefined && size !== attempt.expectedSize) {
    throw sizeError(`downloaded ${size} bytes, ${attempt.expectedSize} were expected`, url);
  }
  return { size, sha256 };
}

/** HEAD; servers that refuse HEAD (405/501) are asked for the first byte instead. */
export async function checkUrlOnce(dispatcher: Dispatcher, rawUrl: string, signal: AbortSignal | undefined, now: number) {
  const url = redactUrl(rawUrl);
  let response = await sendCdnRequest(dispatcher, 'HEAD', rawUrl, signal);
  if (response.statusCode === 405 || response.statusCode === 501) {
    await response.body.dump().catch(() => {});
    response = await sendCdnRequest(dispatcher, 'GET', rawUrl, signal, { range: 'bytes=0-0' });
  }
  await response.body.dump().catch(() => {});
  const status = response.statusCode;
  if (status >= 200 && status < 300) return 'ok' as const;
  if (GONE_STATUSES.has(status)) return 'gone' as const;
  throw createCdnStatusError(status, url, parseRetryAfter(response.headers['retry-after'], now));
}

export function createCdnStatusError(status: number, url: string, retryAfterMs?: number): ApiError {
  const gone = GONE_STATUSES.has(status);
  return new ApiError({
    kind: 'http',
    outcome: 'answered',
    status,
    url,
    message: gone ? `the file is no longer available (HTTP ${status})` : `HTTP ${status}`,
    ...(gone ? { gone: true } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

async function sendCdnRequest(
  dispatcher: Dispatcher,
  method: 'GET' | 'HEAD',
  rawUrl: string,
  signal: AbortSignal | undefined,
  headers: Record<string, string> = {},
): Promise<Dispatcher.ResponseData> {
  try {
    return await dispatcher.request({ ...originAndPath(rawUrl), method, headers, signal });
  } catch (error) {
    throw classifyTransportError(error, signal, redactUrl(rawUrl));
  }
}

function sizeError(message: string, url: string): ApiError {
  return new ApiError({ kind: 'protocol', outcome: 'answered', url, message });
}

function readContentLength(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}
