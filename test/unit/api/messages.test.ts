import { describe, expect, it } from 'vitest';
import { ApiError, redactSecrets, redactUrl } from '../../../src/api/errors.js';
import { describeApiError } from '../../../src/api/messages.js';

const http = (status: number, code: number | undefined, message: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ kind: 'http', outcome: 'answered', status, ...(code === undefined ? {} : { code }), message, ...extra });

describe('describeApiError', () => {
  it.each([
    [http(400, 1000, 'Duration must be 6 seconds.'), { shotId: 'opening' }, 'shot opening: the API rejected a parameter: Duration must be 6 seconds.'],
    [http(400, 1001, 'Sensitive content detected'), { shotId: 'castle' }, 'shot castle: the prompt was flagged as sensitive content — change the prompt or negative prompt'],
    [http(401, 1100, 'Authentication failed'), {}, 'authentication failed — check BACH_ACCESS_KEY and BACH_SECRET_KEY (Bach Developer Console)'],
    [http(401, 1101, 'Authorization header missing'), {}, /no Authorization header .* check BACH_ACCESS_KEY and BACH_SECRET_KEY/],
    [http(401, 1102, 'Token not yet valid'), {}, /not valid yet .* sync this computer's clock/],
    [http(401, 1103, 'Token expired', { attempts: 2 }), {}, /expired even after it was renewed .* sync this computer's clock/],
    [http(404, 1200, 'Resource not found'), { shotId: 'a' }, /^shot a: the task was not found on the server/],
    [http(404, 1203, 'Batch ID not found or expired'), {}, /upload batch was not found or has expired — run the build again/],
    [http(403, 1300, 'Duration not supported by plan'), { shotId: 'a', duration: 5 }, "shot a: a duration of 5 s is not included in your plan — upgrade the credit package or change the shot's duration"],
    [http(403, 1301, 'Resolution not supported by plan'), { shotId: 'a', resolution: '1080p' }, /resolution 1080p is not included in your plan/],
    [http(403, 1302, 'Insufficient credits'), { shotsNotSubmitted: 3 }, 'insufficient credits: 3 shots not submitted; top up your credit package in the Bach Developer Console and run again (finished shots are kept)'],
    [http(403, 1302, 'Insufficient credits'), { shotsNotSubmitted: 1 }, /^insufficient credits: 1 shot not submitted;/],
    [http(429, 1800, 'Rate limit exceeded', { attempts: 6 }), {}, /rate limit exceeded" after 6 attempts — try again later or lower --concurrency/],
    [http(500, 5000, 'Internal server error', { attempts: 6 }), {}, /internal error after 6 attempts — try again later; contact Bach support/],
    [http(502, undefined, 'HTTP 502', { url: 'https://api/x' }), {}, 'the Bach API answered HTTP 502 (https://api/x): HTTP 502 — try again later'],
    [http(302, undefined, 'HTTP 302'), {}, /BACH_BASE_URL redirects/],
    [http(404, undefined, 'gone', { gone: true, url: 'https://cdn/v.mp4?…' }), { shotId: 'a' }, /^shot a: the file at https:\/\/cdn\/v.mp4\?… is no longer available \(HTTP 404\) — the link has expired/],
    [new ApiError({ kind: 'network', outcome: 'not-sent', message: 'connection refused (ECONNREFUSED)', url: 'http://h/api', attempts: 6 }), {}, 'could not talk to the Bach API (http://h/api): connection refused (ECONNREFUSED) after 6 attempts — check the network and BACH_BASE_URL'],
    [new ApiError({ kind: 'timeout', outcome: 'unknown', message: 'no response headers in time' }), {}, /did not answer in time: no response headers in time — try again later/],
    [new ApiError({ kind: 'protocol', outcome: 'answered', message: 'unknown task status "X"' }), {}, /unexpected answer from the Bach API: unknown task status "X" — is BACH_BASE_URL the Bach API\?/],
  ] as const)('%#: %s', (error, context, expected) => {
    const text = describeApiError(error, context);
    if (typeof expected === 'string') expect(text).toBe(expected);
    else expect(text).toMatch(expected);
  });

  it('says when a create may have been billed', () => {
    const error = new ApiError({ kind: 'network', outcome: 'unknown', message: 'connection reset (ECONNRESET)', inDoubt: true });
    expect(describeApiError(error, { shotId: 'x' })).toMatch(/^shot x: .* the task may exist and be billed$/);
  });

  it('describes aborts and other errors too', () => {
    expect(describeApiError(new DOMException('aborted', 'AbortError'), { shotId: 'a' })).toBe('shot a: interrupted');
    expect(describeApiError(new Error('disk full'))).toBe('disk full');
  });
});

describe('redaction', () => {
  it('strips credentials, query and fragment from URLs', () => {
    expect(redactUrl('https://user:pw@cdn.example/v/x.mp4?X-Sig=abc#t')).toBe('https://cdn.example/v/x.mp4?…');
    expect(redactUrl('http://h:8080/a')).toBe('http://h:8080/a');
    expect(redactUrl('::not a url with secret')).toBe('<invalid URL>');
  });

  it('replaces secrets in text', () => {
    expect(redactSecrets('key sk-123456 leaked', ['sk-123456', ''])).toBe('key [redacted] leaked');
    const oldToken = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhayJ9.c2lnbmF0dXJlLXNpZw';
    expect(redactSecrets(`Bearer ${oldToken}!`, [])).toBe('Bearer [redacted]!');
  });
});
