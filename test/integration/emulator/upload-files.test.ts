import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TINY_PNG, useEmulator, type TestEmulator } from '../../helpers/emulator.js';

// POST /batch-upload/submit-with-files (synchronous multipart): the batch rules of bach-api.md
// Part 1, verbatim, the batch `data` shape, the CDN URLs it hands out (which it serves), streaming
// of large uploads, and GET /batch-upload/status/{batch_id}.

const MB = 1024 * 1024;

function form(files: [string, Uint8Array][], names?: string[], batchId?: string): FormData {
  const data = new FormData();
  for (const [name, bytes] of files) data.append('files', new Blob([bytes]), name);
  for (const name of names ?? []) data.append('image_names', name);
  if (batchId) data.append('batch_id', batchId);
  return data;
}

const upload = (emu: TestEmulator, body: FormData) => emu.call('POST', '/batch-upload/submit-with-files', { body });

/** A PNG-looking file of `size` bytes (the magic bytes, then filler). */
function pngOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size, 7);
  TINY_PNG.copy(bytes, 0, 0, Math.min(size, TINY_PNG.length));
  return bytes;
}

describe('submit-with-files', () => {
  it('stores good images, fails bad ones one by one, and answers the batch data', async () => {
    const emu = await useEmulator();
    const answer = await upload(
      emu,
      form(
        [
          ['a.png', TINY_PNG],
          ['notes.png', Buffer.from('just text')],
          ['photo.heic', TINY_PNG],
          ['noext', TINY_PNG],
          ['big.png', pngOfSize(10 * MB + 512 * 1024)],
          ['b.JPG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])],
        ],
        ['first.png', 'second.png', 'third.png', 'fourth.png', 'fifth.png', ''],
        'my-batch-1',
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ code: 200, message: 'Success' });
    const data = answer.json!.data;
    expect(data).toEqual({
      batch_id: 'my-batch-1',
      status: 'TASK_SUCCEEDED',
      total: 6,
      succeeded: 2,
      failed: 4,
      images: [
        { index: 0, name: 'first.png', status: 'SUCCEEDED', url: expect.stringMatching(new RegExp(`^${emu.origin}/cdn/uploads/[0-9a-f]{24}\\.png$`)) },
        { index: 1, name: 'second.png', status: 'FAILED', message: "The 2th file 'notes.png' is not an image." },
        { index: 2, name: 'third.png', status: 'FAILED', message: "The 3th file 'photo.heic' extension 'heic' is not supported." },
        { index: 3, name: 'fourth.png', status: 'FAILED', message: "The 4th file 'noext' does not have a valid file extension." },
        { index: 4, name: 'fifth.png', status: 'FAILED', message: "The 5th image 'big.png' size is 10.50MB, exceeds the maximum limit of 10MB." },
        { index: 5, name: 'b.JPG', status: 'SUCCEEDED', url: expect.stringMatching(/\/cdn\/uploads\/[0-9a-f]{24}\.jpg$/) },
      ],
    });

    const served = await fetch(data.images[0].url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(TINY_PNG)).toBe(true);
    expect((await fetch(data.images[5].url, { method: 'HEAD' })).headers.get('content-length')).toBe('7');

    const status = await emu.call('GET', '/batch-upload/status/my-batch-1');
    expect(status.json).toEqual({ code: 200, message: 'Success', data });
    expect(emu.stats().uploads).toEqual({ batches: 1, images: 2, failedImages: 4, bytes: TINY_PNG.length + 7 });
  });

  it('generates a batch id and uses file names when image_names are left out', async () => {
    const emu = await useEmulator();
    const data = (await upload(emu, form([['frame.png', TINY_PNG]]))).json!.data;
    expect(data.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.images).toEqual([{ index: 0, name: 'frame.png', status: 'SUCCEEDED', url: expect.any(String) }]);
  });

  it.each([
    ['no files', () => form([], ['a.png']), 'The upload file list cannot be empty.'],
    ['a names count mismatch', () => form([['a.png', TINY_PNG], ['b.png', TINY_PNG]], ['only-one.png']), 'The length of imageNames array must match the length of files array.'],
    ['301 files', () => form(Array.from({ length: 301 }, (_, i) => [`f${i}.png`, TINY_PNG] as [string, Uint8Array])), 'Batch upload supports a maximum of 300 images.'],
  ])('refuses %s as a whole request (400/1000), storing nothing', async (_name, body, message) => {
    const emu = await useEmulator();
    const answer = await upload(emu, body());
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 1000, message, data: null });
    expect(emu.stats().uploads.batches).toBe(0);
  });

  it('accepts exactly 300 files', async () => {
    const emu = await useEmulator();
    const data = (await upload(emu, form(Array.from({ length: 300 }, (_, i) => [`f${i}.png`, TINY_PNG] as [string, Uint8Array])))).json!.data;
    expect(data).toMatchObject({ total: 300, succeeded: 300, failed: 0 });
    expect(new Set(data.images.map((image: { url: string }) => image.url)).size).toBe(300);
  });

  it('treats a body that is not multipart as one without files, and refuses a malformed one', async () => {
    const emu = await useEmulator();
    const json = await emu.call('POST', '/batch-upload/submit-with-files', { body: { files: ['a.png'] } });
    expect(json.json).toEqual({ code: 1000, message: 'The upload file list cannot be empty.', data: null });
    const broken = await emu.call('POST', '/batch-upload/submit-with-files', {
      body: '--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\nunterminated',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(broken.json).toEqual({ code: 1000, message: 'Malformed multipart body.', data: null });
    // Malformed early in a long body: the rest is still read, so the client gets the answer.
    const garbage = await emu.call('POST', '/batch-upload/submit-with-files', {
      body: `--xyz garbage\r\n${'x'.repeat(512 * 1024)}`,
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(garbage.json).toEqual({ code: 1000, message: 'Malformed multipart body.', data: null });
  });

  it('answers 404/1203 for an unknown, foreign, empty or expired batch id', async () => {
    const keys = [
      { accessKey: 'key-a', secretKey: 'secret-a' },
      { accessKey: 'key-b', secretKey: 'secret-b' },
    ];
    const emu = await useEmulator({ keys });
    const { batch_id: id } = (await upload(emu, form([['a.png', TINY_PNG]]))).json!.data;
    const notFound = { code: 1203, message: 'Batch ID not found or expired', data: null };
    const unknown = await emu.call('GET', '/batch-upload/status/no-such-batch');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual(notFound);
    expect((await emu.call('GET', '/batch-upload/status/')).json).toEqual(notFound);
    expect((await emu.call('GET', `/batch-upload/status/${id}`, { auth: `Bearer ${await emu.token(keys[1])}` })).json).toEqual(notFound);
    expect((await emu.call('GET', `/batch-upload/status/${id}`)).json?.code).toBe(200);
    emu.configure({ batchTtlMs: 0 });
    expect((await emu.call('GET', `/batch-upload/status/${id}`)).json).toEqual(notFound);
  });

  it('expires upload URLs after uploadTtlMs (404)', async () => {
    const emu = await useEmulator();
    const url = (await upload(emu, form([['a.png', TINY_PNG]]))).json!.data.images[0].url;
    expect((await fetch(url)).status).toBe(200);
    emu.configure({ uploadTtlMs: 0 });
    expect((await fetch(url)).status).toBe(404);
  });

  it('streams large uploads to disk (40 × 8 MB) without holding them in memory', async () => {
    const emu = await useEmulator();
    const count = 40;
    const size = 8 * MB;
    const expected = createHash('sha256');
    const file = pngOfSize(size);
    expected.update(file);
    let peak = 0;
    const baseline = memoryInUse();
    const sampler = setInterval(() => (peak = Math.max(peak, memoryInUse() - baseline)), 5);
    let answer: { status: number; json: any };
    try {
      answer = await streamMultipart(emu, count, file);
    } finally {
      clearInterval(sampler);
    }
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ total: count, succeeded: count, failed: 0 });
    expect(emu.stats().uploads.bytes).toBe(count * size);
    const stored = await fetch(answer.json.data.images[count - 1].url);
    expect(createHash('sha256').update(Buffer.from(await stored.arrayBuffer())).digest('hex')).toBe(expected.digest('hex'));
    // 320 MB went through; buffering the body would show up here as hundreds of MB.
    expect(peak).toBeLessThan(160 * MB);
  });
});

function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Sends `count` copies of `file` as one multipart body, written part by part with backpressure. */
async function streamMultipart(emu: TestEmulator, count: number, file: Buffer): Promise<{ status: number; json: any }> {
  const boundary = 'stream-boundary-7d1f';
  const token = await emu.token();
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}/batch-upload/submit-with-files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    (async () => {
      const write = (chunk: Buffer | string) =>
        req.write(chunk) ? Promise.resolve() : new Promise<void>((done) => req.once('drain', () => done()));
      for (let i = 0; i < count; i += 1) {
        await write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big-${i}.png"\r\nContent-Type: image/png\r\n\r\n`);
        for (let offset = 0; offset < file.length; offset += 256 * 1024) await write(file.subarray(offset, offset + 256 * 1024));
        await write('\r\n');
      }
      req.end(`--${boundary}--\r\n`);
    })().catch(reject);
  });
}
