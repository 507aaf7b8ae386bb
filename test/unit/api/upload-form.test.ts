import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputChangedError } from '../../../src/api/input-changed-error.js';
import { createBoundary, createUploadForm, type UploadForm } from '../../../src/api/upload-form.js';
import type { UploadFile } from '../../../src/api/types.js';
import { sha256Hex } from '../../../src/util/hash.js';
import { testdir } from '../../helpers/testdir.js';

// The upload's multipart encoder on real files: the bytes it sends, their length, and a file that
// changes while it is sent (issue 16 item 5, now checked as the bytes go out: issue 14 item 4).

async function files(contents: Record<string, Uint8Array | string>): Promise<UploadFile[]> {
  const dir = await testdir(contents);
  return Object.entries(contents).map(([name, bytes]) => ({ path: join(dir, name), name, size: Buffer.byteLength(bytes), sha256: sha256Hex(bytes) }));
}

async function drain(form: UploadForm): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of form.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Bytes that are not text, larger than one read, so the body has several chunks per file. */
function binary(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('createUploadForm', () => {
  it('sends the files parts then the image_names parts, and exactly Content-Length bytes', async () => {
    const big = binary(200_000, 1);
    const upload = await files({ 'a.png': big, 'b.webp': 'webp' });
    const form = await createUploadForm(upload, { boundary: 'test-boundary' });
    expect(form.contentType).toBe('multipart/form-data; boundary=test-boundary');
    const body = await drain(form);
    expect(body.length).toBe(form.contentLength);
    const parsed = await new Response(body, { headers: { 'content-type': form.contentType } }).formData();
    expect(parsed.getAll('image_names')).toEqual(['a.png', 'b.webp']);
    const parts = parsed.getAll('files') as File[];
    expect(parts.map((file) => [file.name, file.type])).toEqual([
      ['a.png', 'image/png'],
      ['b.webp', 'image/webp'],
    ]);
    expect(Buffer.from(await parts[0]!.arrayBuffer()).equals(Buffer.from(big))).toBe(true);
    expect(await parts[1]!.text()).toBe('webp');
    expect(form.failure()).toBeUndefined();
  });

  it('draws a new random boundary for each body', () => {
    const one = createBoundary();
    expect(one).toMatch(/^bach-render-[0-9a-f]{32}$/);
    expect(createBoundary()).not.toBe(one);
  });

  it('refuses a file whose size changed since it was hashed, before sending anything', async () => {
    const upload = await files({ 'a.png': 'twelve bytes' });
    await writeFile(upload[0]!.path, 'thirteen bytes');
    await expect(createUploadForm(upload)).rejects.toThrow(InputChangedError);
  });

  it('stops a body whose file changed mid-send (same size) before that part is complete', async () => {
    const original = binary(300_000, 2);
    const upload = await files({ 'a.png': 'first', 'b.png': original });
    let changed = false;
    const form = await createUploadForm(upload, {
      boundary: 'b',
      onChunk: async (file) => {
        // After the first chunk of b.png is read, b.png is saved again: same size, other bytes.
        if (file.name === 'b.png' && !changed) {
          changed = true;
          await writeFile(file.path, binary(original.length, 3));
        }
      },
    });
    const sent: Uint8Array[] = [];
    const error = await (async () => {
      for await (const chunk of form.body) sent.push(chunk);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputChangedError);
    expect((error as InputChangedError).message).toContain('same size, other bytes');
    expect(form.failure()).toBe(error);
    const text = Buffer.concat(sent);
    // Less than the promised length: b.png's part never ended, no name part and no closing boundary left.
    expect(text.length).toBeLessThan(form.contentLength);
    expect(text.includes('--b--')).toBe(false);
    expect(text.includes('name="image_names"')).toBe(false);
  });

  it('stops when a file grew or was cut short after the size check', async () => {
    const longer = await files({ 'a.png': binary(100_000, 4) });
    const grown = await createUploadForm(longer, { onChunk: (file, read) => (read === 65_536 ? writeFile(file.path, binary(100_001, 4)) : undefined) });
    await expect(drain(grown)).rejects.toThrow(/now longer than 100000 bytes/);
    const shorter = await files({ 'a.png': binary(100_000, 5) });
    const cut = await createUploadForm(shorter, { onChunk: (file, read) => (read === 65_536 ? writeFile(file.path, binary(1000, 5)) : undefined) });
    await expect(drain(cut)).rejects.toThrow(/100000 → 65536 bytes/);
  });

  it.runIf(existsSync('/proc/self/fd'))('closes the file it reads when the body is abandoned mid-part', async () => {
    const upload = await files({ 'a.png': binary(200_000, 6) });
    const open = async () => (await readdir('/proc/self/fd')).length;
    const before = await open();
    const form = await createUploadForm(upload);
    for await (const chunk of form.body) {
      expect(chunk.length).toBeGreaterThan(0);
      if (await open() > before) break; // a.png is open: the consumer gives up (as undici does on an abort)
    }
    expect(await open()).toBe(before);
  });
});
