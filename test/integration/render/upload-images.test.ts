import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/errors.js';
import type { BachApi, UploadFile, UploadResult } from '../../../src/api/types.js';
import type { RenderEvent } from '../../../src/render/events.js';
import { uploadImages, UploadFailure } from '../../../src/render/upload-images.js';
import { UploadRecords } from '../../../src/state/upload-records.js';
import { sha256Hex } from '../../../src/util/hash.js';
import { makePng } from '../../helpers/images.js';
import { testdir } from '../../helpers/testdir.js';

// uploadImages against a fake API passed in (no network): what is sent, in which batches, what is
// remembered, and which images fail — with real files on disk.

const ORIGIN = 'https://api.example';

interface FakeOptions {
  /** Image names (as sent) the server refuses, with its message. */
  refuse?: Record<string, string>;
  gone?: Set<string>;
  failRequest?: ApiError;
}

function fakeApi(options: FakeOptions = {}) {
  const batches: UploadFile[][] = [];
  const checked: string[] = [];
  const api: Partial<BachApi> = {
    async checkUrl(url) {
      checked.push(url);
      return options.gone?.has(url) ? 'gone' : 'ok';
    },
    async uploadFiles(files): Promise<UploadResult> {
      batches.push([...files]);
      if (options.failRequest) throw options.failRequest;
      return {
        batchId: `b${batches.length}`,
        images: files.map((file, index) =>
          options.refuse?.[file.name]
            ? { index, name: file.name, ok: false as const, message: options.refuse[file.name]! }
            : { index, name: file.name, ok: true as const, url: `https://cdn.example/${file.name}` },
        ),
      };
    },
  };
  return { api: api as BachApi, batches, checked };
}

async function project(count: number) {
  const tree: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) tree[`frames/f${i}.png`] = makePng(i, { padding: 1000 });
  const root = await testdir(tree);
  const images = Object.keys(tree).map((path) => ({ path, sha256: sha256Hex(tree[path]!) }));
  return { root, images };
}

function run(root: string, api: BachApi, records: UploadRecords, images: { path: string; sha256: string }[], maxBatchBytes?: number) {
  const events: RenderEvent[] = [];
  const urls = uploadImages({
    api,
    root,
    origin: ORIGIN,
    records,
    images,
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    ...(maxBatchBytes ? { maxBatchBytes } : {}),
  });
  return { urls, events };
}

describe('uploadImages', () => {
  it('uploads each content once, in batches within the count and byte caps, and remembers the URLs', async () => {
    const { root, images } = await project(7);
    const { api, batches } = fakeApi();
    const records = await UploadRecords.read(join(root, '.bach/uploads.json'));
    // The same content under a second name: uploaded once.
    copyFileSync(join(root, images[0]!.path), join(root, 'frames/copy.png'));
    const duplicated = [...images, { path: 'frames/copy.png', sha256: images[0]!.sha256 }];
    const { urls, events } = run(root, api, records, duplicated, 3 * 1200);
    await urls.done;
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(new Set(batches.flat().map((f) => f.name)).size).toBe(7);
    expect(await urls.urlFor(images[3]!.sha256)).toBe(`https://cdn.example/${images[3]!.sha256.slice(0, 16)}.png`);
    expect(events.filter((e) => e.type === 'upload:batch')).toHaveLength(3);
    const reread = await UploadRecords.read(join(root, '.bach/uploads.json'));
    expect(reread.urlsFor(ORIGIN).size).toBe(7);
  });

  it('reuses a remembered URL the server still has, and uploads again one it no longer has', async () => {
    const { root, images } = await project(2);
    const records = await UploadRecords.read(join(root, '.bach/uploads.json'));
    records.set(ORIGIN, images[0]!.sha256, 'https://cdn.example/still-there.png');
    records.set(ORIGIN, images[1]!.sha256, 'https://cdn.example/expired.png');
    const { api, batches, checked } = fakeApi({ gone: new Set(['https://cdn.example/expired.png']) });
    const { urls } = run(root, api, records, images);
    await urls.done;
    expect(checked.sort()).toEqual(['https://cdn.example/expired.png', 'https://cdn.example/still-there.png']);
    expect(batches.flat().map((f) => f.name)).toEqual([`${images[1]!.sha256.slice(0, 16)}.png`]);
    expect(await urls.urlFor(images[0]!.sha256)).toBe('https://cdn.example/still-there.png');
    expect(records.urlsFor(ORIGIN).get(images[1]!.sha256)).toMatch(/^https:\/\/cdn\.example\/[0-9a-f]{16}\.png$/);
  });

  it('fails only the image the server refused, with its message; the others go on', async () => {
    const { root, images } = await project(3);
    const refused = `${images[1]!.sha256.slice(0, 16)}.png`;
    const { api } = fakeApi({ refuse: { [refused]: "The 2th file 'x.png' is not an image." } });
    const records = await UploadRecords.read(join(root, '.bach/uploads.json'));
    const { urls } = run(root, api, records, images);
    await urls.done;
    await expect(urls.urlFor(images[1]!.sha256)).rejects.toThrow(new UploadFailure('frames/f1.png', "The 2th file 'x.png' is not an image."));
    await expect(urls.urlFor(images[0]!.sha256)).resolves.toMatch(/^https:/);
    await expect(urls.urlFor(images[2]!.sha256)).resolves.toMatch(/^https:/);
    expect(records.urlsFor(ORIGIN).has(images[1]!.sha256)).toBe(false);
  });

  it('fails every image of a batch the server refused as a whole, with an actionable message', async () => {
    const { root, images } = await project(2);
    const { api } = fakeApi({ failRequest: new ApiError({ kind: 'http', outcome: 'answered', status: 401, code: 1100, message: 'Authentication failed' }) });
    const { urls } = run(root, api, await UploadRecords.read(join(root, '.bach/uploads.json')), images);
    await urls.done;
    for (const image of images) await expect(urls.urlFor(image.sha256)).rejects.toThrow(/upload failed: authentication failed — check BACH_ACCESS_KEY/);
  });

  it('names an image by the format of its bytes when its own extension is not one the API takes', async () => {
    const png = makePng(9);
    const root = await testdir({ 'frames/still.data': png });
    const { api, batches } = fakeApi();
    const { urls } = run(root, api, await UploadRecords.read(join(root, '.bach/uploads.json')), [{ path: 'frames/still.data', sha256: sha256Hex(png) }]);
    await urls.done;
    expect(batches[0]![0]!.name).toBe(`${sha256Hex(png).slice(0, 16)}.png`);
  });
});

describe('uploadImages verifies what it sends (issue 16, item 5)', () => {
  it('refuses an image saved with other bytes of the same size after the plan; the rest of its batch is uploaded', async () => {
    const { createApiClient } = await import('../../../src/api/client.js');
    const { useEmulator } = await import('../../helpers/emulator.js');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const emu = await useEmulator();
    const api = createApiClient({ baseUrl: emu.url, credentials: { accessKey: emu.accessKey, secretKey: emu.secretKey }, retry: { baseDelayMs: 10 } });
    const { root, images } = await project(3);
    // Saved after the plan hashed it: same size, other bytes (a recoloured pixel row).
    const changed = join(root, images[1]!.path);
    const before = readFileSync(changed);
    const after = makePng(99, { padding: 1000 });
    expect(after.length).toBe(before.length);
    writeFileSync(changed, after);
    const records = await UploadRecords.read(join(root, '.bach/uploads.json'));
    const { urls, events } = run(root, api, records, images);
    await urls.done;
    await api.close();
    expect(await urls.urlFor(images[0]!.sha256)).toMatch(/^http/);
    expect(await urls.urlFor(images[2]!.sha256)).toMatch(/^http/);
    const refused = await urls.urlFor(images[1]!.sha256).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UploadFailure);
    expect(String((refused as Error).message)).toContain('changed while the build was running (same size, other bytes); it was not uploaded');
    // Only the two unchanged images reached the server, and only they are remembered.
    expect(emu.stats().uploads.images).toBe(2);
    expect([...records.urlsFor(ORIGIN).keys()].sort()).toEqual([images[0]!.sha256, images[2]!.sha256].sort());
    expect(events.find((event) => event.type === 'upload:batch')).toMatchObject({ images: 3, failed: 1 });
  });
});
