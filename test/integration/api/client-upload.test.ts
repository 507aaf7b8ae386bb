import { sha256Hex } from '../../../src/util/hash.js';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BachError } from '../../../src/errors.js';
import { ok, type RecordedRequest, type Reply } from '../../helpers/scripted-server.js';
import { testdir } from '../../helpers/testdir.js';
import { measurePeakLiveMemory, setupClient } from './setup.js';

async function readForm(request: RecordedRequest) {
  const type = String(request.headers['content-type']);
  return new Response(request.body, { headers: { 'content-type': type } }).formData();
}

async function echoBatch(request: RecordedRequest): Promise<Reply> {
  const form = await readForm(request);
  const names = form.getAll('image_names').map(String);
  const images = await Promise.all(
    form.getAll('files').map(async (part, index) => {
      const file = part as File;
      const text = await file.text();
      return text.startsWith('bad')
        ? { index, name: names[index], status: 'FAILED', message: `The ${index + 1}th file '${file.name}' is not an image.` }
        : { index, name: names[index], status: 'SUCCEEDED', url: `https://cdn.example/${file.name}` };
    }),
  );
  return ok({ batch_id: 'b-1', status: 'TASK_SUCCEEDED', total: images.length, images });
}

async function imageFiles(contents: Record<string, string>) {
  const dir = await testdir(contents);
  return Object.entries(contents).map(([name, text]) => ({ path: join(dir, name), name, size: Buffer.byteLength(text), sha256: sha256Hex(text) }));
}

describe('uploadFiles', () => {
  it('sends repeated files and image_names parts, streamed, and maps per-image results', async () => {
    const seen: { names: string[]; files: { name: string; type: string; text: string }[] }[] = [];
    const { client, server } = await setupClient(async (request) => {
      const form = await readForm(request);
      seen.push({
        names: form.getAll('image_names').map(String),
        files: await Promise.all(form.getAll('files').map(async (f) => ({ name: (f as File).name, type: (f as File).type, text: await (f as File).text() }))),
      });
      return echoBatch(request);
    });
    const files = await imageFiles({ 'a.png': 'png-bytes-a', 'b.jpg': 'bad-bytes', 'c.webp': 'webp-bytes-c' });
    const result = await client.uploadFiles(files);
    expect(result).toEqual({
      batchId: 'b-1',
      images: [
        { index: 0, name: 'a.png', ok: true, url: 'https://cdn.example/a.png' },
        { index: 1, name: 'b.jpg', ok: false, message: "The 2th file 'b.jpg' is not an image." },
        { index: 2, name: 'c.webp', ok: true, url: 'https://cdn.example/c.webp' },
      ],
    });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/vdr/batch-upload/submit-with-files' });
    expect(String(request?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(request?.headers['content-length'])).toBe(request?.bodySize);
    expect(request?.headers.authorization).toMatch(/^Bearer /);
    expect(seen[0]).toEqual({
      names: ['a.png', 'b.jpg', 'c.webp'],
      files: [
        { name: 'a.png', type: 'image/png', text: 'png-bytes-a' },
        { name: 'b.jpg', type: 'image/jpeg', text: 'bad-bytes' },
        { name: 'c.webp', type: 'image/webp', text: 'webp-bytes-c' },
      ],
    });
  });

  it('sends a fresh body on retry', async () => {
    let calls = 0;
    const { client, server } = await setupClient(async (request) => (calls++ === 0 ? { drop: true } : echoBatch(request)));
    const files = await imageFiles({ 'a.png': 'png-a' });
    expect((await client.uploadFiles(files)).images[0]).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.bodySize).toBe(server.requests[0]?.bodySize);
  });

  it('polls the batch when the server answers it is still running', async () => {
    const { client, server, sleeps } = await setupClient((request) =>
      request.method === 'POST'
        ? ok({ batch_id: 'b 7', status: 'TASK_PROCESSING', images: [] })
        : ok({ batch_id: 'b 7', status: 'TASK_SUCCEEDED', images: [{ index: 0, status: 'SUCCEEDED', url: 'http://cdn/a.png' }] }),
    );
    const files = await imageFiles({ 'a.png': 'x', 'b.png': 'y' });
    const result = await client.uploadFiles(files);
    expect(result.images).toEqual([
      { index: 0, name: 'a.png', ok: true, url: 'http://cdn/a.png' },
      { index: 1, name: 'b.png', ok: false, message: 'the server did not report this image' },
    ]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/vdr/batch-upload/submit-with-files',
      'GET /api/vdr/batch-upload/status/b%207',
    ]);
    expect(sleeps).toContain(2000);
  });

  it('refuses a file whose size changed since it was hashed, before sending anything', async () => {
    const { client, server } = await setupClient(echoBatch);
    const files = await imageFiles({ 'a.png': 'twelve bytes' });
    await truncate(files[0]?.path ?? '', 3);
    const error = await client.uploadFiles(files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BachError);
    expect((error as BachError).code).toBe('input-changed');
    expect(server.requests).toHaveLength(0);
  });

  // See client-transfer.test.ts for why 100 MiB and half its size.
  it('streams a 100 MiB image from disk without holding it in memory', async () => {
    const size = 100 * 1024 * 1024;
    const dir = await testdir();
    const path = join(dir, 'huge.png');
    await writeFile(path, Buffer.alloc(size, 7));
    const { client, server } = await setupClient(() =>
      ok({ batch_id: 'b', status: 'TASK_SUCCEEDED', images: [{ index: 0, status: 'SUCCEEDED', url: 'http://cdn/h.png' }] }),
    );
    const peak = await measurePeakLiveMemory(() => client.uploadFiles([{ path, name: 'huge.png', size, sha256: sha256Hex(Buffer.alloc(size, 7)) }]));
    expect(server.requests[0]?.bodySize).toBeGreaterThan(size);
    expect(peak).toBeLessThan(size / 2);
  });
});
