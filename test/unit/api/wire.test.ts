import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/errors.js';
import {
  batchStatusPath,
  createPath,
  normalizeTaskStatus,
  parseBatchData,
  parseCreateData,
  parseEnvelope,
  parseQueryData,
  parseRetryAfter,
  queryPath,
} from '../../../src/api/wire.js';

const envelope = (code: unknown, data: unknown, message = 'Success') => JSON.stringify({ code, message, data });

function catchError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('paths', () => {
  it('builds the create, query and batch paths of the contract', () => {
    expect(createPath('text-to-video')).toBe('/videos/text2video');
    expect(createPath('multi-image-to-video')).toBe('/videos/multi2video');
    expect(queryPath('image-to-video', 'a/b')).toBe('/videos/image2video/a%2Fb');
    expect(batchStatusPath('b 1')).toBe('/batch-upload/status/b%201');
  });
});

describe('parseEnvelope', () => {
  it('returns data for HTTP 200 with code 200 or 0 (or "200")', () => {
    expect(parseEnvelope({ status: 200, text: envelope(200, { a: 1 }) })).toEqual({ a: 1 });
    expect(parseEnvelope({ status: 200, text: envelope(0, { a: 2 }) })).toEqual({ a: 2 });
    expect(parseEnvelope({ status: 200, text: envelope('200', null) })).toBeNull();
  });

  it('turns an error envelope into an http ApiError with status, code and the server message', () => {
    const error = catchError(() =>
      parseEnvelope({ status: 400, text: envelope(1000, null, 'Duration must be 6 seconds.'), url: 'http://x/api' }),
    );
    expect(error).toMatchObject({ kind: 'http', outcome: 'answered', status: 400, code: 1000, retryable: false });
    expect(error.message).toBe('Duration must be 6 seconds.');
  });

  it('keeps Retry-After and marks 429/5xx retryable', () => {
    const limited = catchError(() => parseEnvelope({ status: 429, text: envelope(1800, null, 'Rate limit exceeded'), retryAfterMs: 2000 }));
    expect(limited).toMatchObject({ status: 429, code: 1800, retryAfterMs: 2000, retryable: true });
    expect(catchError(() => parseEnvelope({ status: 500, text: envelope(5000, null, 'x') })).retryable).toBe(true);
  });

  it('reads a business error carried by HTTP 200', () => {
    expect(catchError(() => parseEnvelope({ status: 200, text: envelope(1302, null, 'Insufficient credits') }))).toMatchObject({
      kind: 'http',
      status: 200,
      code: 1302,
    });
  });

  it('reports a non-JSON error page by its status only', () => {
    const error = catchError(() => parseEnvelope({ status: 502, text: '<html>Bad gateway</html>' }));
    expect(error).toMatchObject({ kind: 'http', status: 502, code: undefined, message: 'HTTP 502', retryable: true });
  });

  it('treats a 200 without a readable envelope as a protocol error of unknown outcome', () => {
    for (const text of ['', 'not json', '[]', JSON.stringify({ message: 'no code' })]) {
      expect(catchError(() => parseEnvelope({ status: 200, text }))).toMatchObject({ kind: 'protocol', outcome: 'unknown' });
    }
  });

  it('makes the server message one bounded line', () => {
    const error = catchError(() => parseEnvelope({ status: 400, text: envelope(1000, null, `a\nb\u0000${'x'.repeat(600)}`) }));
    expect(error.message).not.toMatch(/[\n\u0000]/);
    expect(error.message.length).toBeLessThanOrEqual(501);
  });
});

describe('parseCreateData', () => {
  it('reads task_id, status and created_at', () => {
    expect(parseCreateData({ task_id: 't-1', status: 'TASK_PENDING', created_at: 1700000000 })).toEqual({
      taskId: 't-1',
      status: 'TASK_PENDING',
      createdAt: 1700000000,
    });
  });

  it('never fails a create that has a task id over the other fields', () => {
    expect(parseCreateData({ task_id: 42, status: 'SOMETHING_NEW' })).toEqual({ taskId: '42', status: 'TASK_PENDING' });
  });

  it('reports a create without task_id as a protocol error of unknown outcome (the task may exist)', () => {
    expect(catchError(() => parseCreateData({ status: 'TASK_PENDING' }))).toMatchObject({ kind: 'protocol', outcome: 'unknown' });
    expect(catchError(() => parseCreateData(null))).toMatchObject({ kind: 'protocol', outcome: 'unknown' });
  });
});

describe('parseQueryData', () => {
  it('reads a succeeded task with its video URL and times', () => {
    const data = { task_id: 't', status: 'TASK_SUCCEEDED', video_url: 'https://cdn/x.mp4', created_at: 1, updated_at: '2' };
    expect(parseQueryData(data, 't')).toEqual({
      taskId: 't',
      status: 'TASK_SUCCEEDED',
      videoUrl: 'https://cdn/x.mp4',
      createdAt: 1,
      updatedAt: 2,
    });
  });

  it('reads a failure reason from message, else reason', () => {
    expect(parseQueryData({ task_id: 't', status: 'TASK_FAILED', message: 'boom' }, 't').message).toBe('boom');
    expect(parseQueryData({ task_id: 't', status: 'failed', reason: 'why' }, 't')).toMatchObject({
      status: 'TASK_FAILED',
      message: 'why',
    });
  });

  it('falls back to task_status, the asked-for id, and a videos list', () => {
    expect(parseQueryData({ task_status: 'processing' }, 'asked')).toEqual({ taskId: 'asked', status: 'TASK_PROCESSING' });
    expect(parseQueryData({ status: 'SUCCESS', videos: [{ url: 'http://cdn/v.mp4' }] }, 't').videoUrl).toBe('http://cdn/v.mp4');
  });

  it('refuses an unknown status and a success without an http(s) video URL', () => {
    expect(catchError(() => parseQueryData({ task_id: 't', status: 'TASK_EXPLODED' }, 't'))).toMatchObject({ kind: 'protocol' });
    expect(catchError(() => parseQueryData({ task_id: 't' }, 't')).message).toMatch(/unknown task status/);
    expect(catchError(() => parseQueryData({ status: 'TASK_SUCCEEDED', video_url: 'ftp://x' }, 't')).message).toMatch(/video_url/);
  });
});

describe('where the task status is (the documented envelope, or the top level the seed sample reads)', () => {
  const query = (body: unknown) => parseQueryData(parseEnvelope({ status: 200, text: JSON.stringify(body) }), 'asked');
  const create = (body: unknown) => parseCreateData(parseEnvelope({ status: 200, text: JSON.stringify(body) }));
  const VIDEO = 'https://cdn.example.com/v.mp4';

  it('reads the status in data (documented)', () => {
    expect(query({ code: 200, message: 'Success', data: { task_id: 't', status: 'TASK_PROCESSING' } })).toEqual({ taskId: 't', status: 'TASK_PROCESSING' });
  });

  it('reads the status beside the envelope when data lacks it, or has no data at all', () => {
    expect(query({ code: 200, message: 'Success', data: { task_id: 't' }, status: 'TASK_PENDING' })).toEqual({ taskId: 't', status: 'TASK_PENDING' });
    expect(query({ code: 200, message: 'Success', data: null, task_id: 't', status: 'TASK_SUCCEEDED', video_url: VIDEO })).toEqual({
      taskId: 't',
      status: 'TASK_SUCCEEDED',
      videoUrl: VIDEO,
    });
    expect(create({ code: 0, message: 'ok', task_id: 'new', status: 'TASK_PENDING' })).toEqual({ taskId: 'new', status: 'TASK_PENDING' });
  });

  it('prefers data where both carry a field, and never takes the envelope message as a failure reason', () => {
    const both = { code: 200, message: 'Success', data: { task_id: 't', status: 'TASK_SUCCEEDED', video_url: VIDEO }, task_id: 'other', status: 'TASK_PROCESSING' };
    expect(query(both)).toEqual({ taskId: 't', status: 'TASK_SUCCEEDED', videoUrl: VIDEO });
    expect(query({ code: 200, message: 'Success', data: { task_id: 't' }, status: 'TASK_FAILED' })).toEqual({ taskId: 't', status: 'TASK_FAILED' });
  });

  it('reads a bare task object without an envelope, as the seed loop would', () => {
    expect(query({ task_id: 't', status: 'TASK_SUCCEEDED', video_url: VIDEO })).toEqual({ taskId: 't', status: 'TASK_SUCCEEDED', videoUrl: VIDEO });
    expect(create({ task_id: 'new' })).toEqual({ taskId: 'new', status: 'TASK_PENDING' });
    // Without a task id it is still not an answer we can trust.
    expect(catchError(() => parseEnvelope({ status: 200, text: JSON.stringify({ status: 'TASK_SUCCEEDED' }) }))).toMatchObject({ kind: 'protocol', outcome: 'unknown' });
  });

  it('reads what the emulator sends: both shapes at once', () => {
    const data = { task_id: 't', status: 'TASK_SUCCEEDED', created_at: 1, updated_at: 2, video_url: VIDEO };
    expect(query({ code: 200, message: 'Success', data, task_id: 't', status: 'TASK_SUCCEEDED' })).toMatchObject({ taskId: 't', status: 'TASK_SUCCEEDED', videoUrl: VIDEO });
  });
});

describe('normalizeTaskStatus', () => {
  it.each([
    ['TASK_PENDING', 'TASK_PENDING'],
    ['queued', 'TASK_PENDING'],
    ['TASK_PROCESSING', 'TASK_PROCESSING'],
    ['running', 'TASK_PROCESSING'],
    ['TASK_SUCCEEDED', 'TASK_SUCCEEDED'],
    ['succeeded', 'TASK_SUCCEEDED'],
    ['TASK_FAILED', 'TASK_FAILED'],
    ['CANCELLED', 'TASK_FAILED'],
    ['', undefined],
    ['DONE?', undefined],
    [7, undefined],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeTaskStatus(raw)).toBe(expected);
  });
});

describe('parseBatchData', () => {
  it('reads the batch and each image, by index', () => {
    const data = {
      batch_id: 'b1',
      status: 'TASK_SUCCEEDED',
      total: 3,
      succeeded: 1,
      failed: 2,
      images: [
        { index: 0, name: 'a.png', status: 'SUCCEEDED', url: 'http://cdn/a.png' },
        { index: 1, name: 'b.png', status: 'FAILED', message: "The 2th file 'b.png' is not an image." },
        { name: 'c.png', status: 'SUCCEEDED' },
      ],
    };
    expect(parseBatchData(data)).toEqual({
      batchId: 'b1',
      status: 'TASK_SUCCEEDED',
      total: 3,
      succeeded: 1,
      failed: 2,
      images: [
        { index: 0, name: 'a.png', ok: true, url: 'http://cdn/a.png' },
        { index: 1, name: 'b.png', ok: false, message: "The 2th file 'b.png' is not an image." },
        { index: 2, name: 'c.png', ok: false, message: 'the server reported success without an http(s) URL' },
      ],
    });
  });

  it('needs a batch id and an images list', () => {
    expect(catchError(() => parseBatchData({ images: [] })).message).toMatch(/batch_id/);
    expect(catchError(() => parseBatchData({ batch_id: 'b' })).message).toMatch(/images/);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it.each([
    [undefined, undefined],
    ['3', 3000],
    [' 0 ', 0],
    ['1.5', 1500],
    [['2', '9'], 2000],
    ['Sun, 01 Mar 2026 12:00:10 GMT', 10_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['soon', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value as string | string[] | undefined, now)).toBe(expected);
  });
});
