import { open, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import pLimit from 'p-limit';
import { UPLOAD_FORMATS } from '../contract/capabilities.js';
import { describeApiError } from '../api/messages.js';
import { detectImageFormat } from '../manifest/file-facts.js';
import type { BachApi, UploadFile, UploadResult } from '../api/types.js';
import { InputChangedError } from '../api/input-changed-error.js';
import type { UploadRecords } from '../state/upload-records.js';
import { createBatches } from './batches.js';
import type { Emit } from './events.js';

// Every distinct local image (by content) that the renders need, uploaded once: a URL remembered in
// `.bach/uploads.json` is checked with a HEAD and reused while the server still has it; the rest go
// up in batches (≤ 300 images, ≤ a byte cap), streamed from disk. Shots wait only for their own
// images: `urlFor(sha256)` settles as soon as that image's batch has been answered. A per-image
// failure rejects just that image, so only the shots that need it fail.

export interface ImageToUpload {
  sha256: string;
  /** Root-relative path holding these bytes. */
  path: string;
}

export interface UploadImagesOptions {
  api: BachApi;
  root: string;
  origin: string;
  records: UploadRecords;
  images: readonly ImageToUpload[];
  signal: AbortSignal;
  emit: Emit;
  maxBatchBytes?: number;
}

export class UploadFailure extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: upload failed: ${message}`);
    this.name = 'UploadFailure';
  }
}

export interface ImageUrls {
  urlFor(sha256: string): Promise<string>;
  /**
   * Before a task is submitted again after it failed: the image's URL checked again (a HEAD), and
   * the image uploaded again when the server no longer has it (issue 16, item 6: a task that failed
   * on an expired upload URL was re-submitted with the same dead URL). Later `urlFor` calls get the
   * new URL. Concurrent calls for one image share one check.
   */
  refresh(sha256: string): Promise<string>;
  /** Resolves when every upload has been answered (or failed). */
  done: Promise<void>;
}

export function uploadImages(options: UploadImagesOptions): ImageUrls {
  const settlers = new Map<string, { resolve(url: string): void; reject(error: Error): void; promise: Promise<string> }>();
  for (const image of options.images) {
    if (settlers.has(image.sha256)) continue;
    let resolve!: (url: string) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => {}); // observed by the shots that need it; none may need a failed image
    settlers.set(image.sha256, { resolve, reject, promise });
  }
  const done = run(options, settlers).catch((error: unknown) => {
    const failure = error instanceof Error ? error : new Error(String(error));
    for (const settler of settlers.values()) settler.reject(failure);
  });
  const latest = new Map<string, Promise<string>>();
  const urlFor = (sha256: string): Promise<string> => {
    const settler = settlers.get(sha256);
    return latest.get(sha256) ?? (settler ? settler.promise : Promise.reject(new Error(`image ${sha256} was not planned for upload`)));
  };
  const refreshing = new Map<string, Promise<string>>();
  return {
    urlFor,
    refresh(sha256) {
      const running = refreshing.get(sha256);
      if (running) return running;
      const next = urlFor(sha256).then(async (url) => {
        if ((await options.api.checkUrl(url, { signal: options.signal })) === 'ok') return url;
        const fresh = reupload(options, sha256);
        latest.set(sha256, fresh);
        fresh.catch(() => {});
        return fresh;
      });
      refreshing.set(sha256, next);
      void next.finally(() => refreshing.delete(sha256)).catch(() => {});
      return next;
    },
    done,
  };
}

/** One image, uploaded again (verified like the first time) because the server no longer serves its URL. */
async function reupload(options: UploadImagesOptions, sha256: string): Promise<string> {
  const image = options.images.find((candidate) => candidate.sha256 === sha256);
  if (!image) throw new Error(`image ${sha256} was not planned for upload`);
  options.records.forget(options.origin, sha256);
  const absolute = join(options.root, image.path);
  const [{ size }, extension] = await Promise.all([stat(absolute), uploadExtension(absolute)]);
  const result = await uploadVerified(options.api, options.root, () => [{ ...image, size, extension }], options.signal, (changed) => {
    throw new UploadFailure(changed.path, changed.error.message);
  }).catch((error: unknown) => {
    if (error instanceof UploadFailure || options.signal.aborted) throw error;
    throw new UploadFailure(image.path, describeApiError(error));
  });
  const answer = result.images[0];
  if (!answer?.ok) throw new UploadFailure(image.path, answer?.message ?? 'the server did not report this image');
  options.records.set(options.origin, sha256, answer.url);
  await options.records.write();
  options.emit({ type: 'notice', level: 'info', message: `${image.path}: its upload had expired; uploaded again` });
  return answer.url;
}

type Settlers = Map<string, { resolve(url: string): void; reject(error: Error): void }>;

async function run(options: UploadImagesOptions, settlers: Settlers): Promise<void> {
  const { api, origin, records, signal } = options;
  const unique: ImageToUpload[] = [];
  const seen = new Set<string>();
  for (const image of options.images) if (!seen.has(image.sha256) && seen.add(image.sha256)) unique.push(image);
  const known = records.urlsFor(origin);
  const limit = pLimit(8);
  const pending: (ImageToUpload & { size: number; extension: string })[] = [];
  await Promise.all(
    unique.map((image) =>
      limit(async () => {
        const url = known.get(image.sha256);
        if (url && (await api.checkUrl(url, { signal })) === 'ok') {
          settlers.get(image.sha256)!.resolve(url);
          return;
        }
        if (url) records.forget(origin, image.sha256);
        const absolute = join(options.root, image.path);
        const [{ size }, extension] = await Promise.all([stat(absolute), uploadExtension(absolute)]);
        pending.push({ ...image, size, extension });
      }),
    ),
  );
  if (pending.length === 0) return;
  pending.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const batches = createBatches(pending, options.maxBatchBytes ? { maxBytes: options.maxBatchBytes } : {});
  options.emit({ type: 'upload:start', images: pending.length, batches: batches.length, bytes: sum(pending) });
  for (const [index, planned] of batches.entries()) {
    signal.throwIfAborted();
    let batch = planned;
    let failed = 0;
    try {
      const result = await uploadVerified(api, options.root, () => batch, signal, (changed) => {
        // Only that image is refused (its shots fail); the rest of the batch is sent again without it.
        failed += 1;
        settlers.get(changed.sha256)!.reject(new UploadFailure(changed.path, changed.error.message));
        batch = batch.filter((image) => image.sha256 !== changed.sha256);
      });
      for (const answer of result.images) {
        const image = batch[answer.index];
        if (!image) continue;
        if (answer.ok) {
          records.set(origin, image.sha256, answer.url);
          settlers.get(image.sha256)!.resolve(answer.url);
        } else {
          failed += 1;
          settlers.get(image.sha256)!.reject(new UploadFailure(image.path, answer.message));
        }
      }
      for (const image of batch) settlers.get(image.sha256)!.reject(new UploadFailure(image.path, 'the server did not report this image'));
    } catch (error) {
      if (signal.aborted) throw error;
      failed = batch.length;
      const message = describeApiError(error);
      for (const image of batch) settlers.get(image.sha256)!.reject(new UploadFailure(image.path, message));
    }
    await records.write();
    options.emit({ type: 'upload:batch', index: index + 1, batches: batches.length, images: planned.length, bytes: sum(planned), failed });
  }
}

type PendingImage = ImageToUpload & { size: number; extension: string };

/**
 * One batch, sent with every file verified against its planned sha256 (api/upload-form.ts). A file
 * whose bytes changed is handed to `refuse` and the batch is sent again without it, until it is
 * accepted or empty (then the answer is an empty result).
 */
async function uploadVerified(
  api: BachApi,
  root: string,
  batch: () => readonly PendingImage[],
  signal: AbortSignal,
  refuse: (image: PendingImage & { error: InputChangedError }) => void,
): Promise<UploadResult> {
  for (;;) {
    const images = batch();
    if (images.length === 0) return { batchId: '', images: [] };
    const files: UploadFile[] = images.map((image) => ({
      path: join(root, image.path),
      // Content-addressed names: unique within a batch, and no local folder names leave the machine.
      name: `${image.sha256.slice(0, 16)}.${image.extension}`,
      size: image.size,
      sha256: image.sha256,
    }));
    try {
      return await api.uploadFiles(files, { signal });
    } catch (error) {
      const changed = error instanceof InputChangedError ? images.find((image) => join(root, image.path) === error.path) : undefined;
      if (!changed) throw error;
      refuse({ ...changed, error: error as InputChangedError });
    }
  }
}

/**
 * The extension the server should see: the file's own when it names a supported format, else the
 * format its bytes are (the loader accepts images by content, so `still.data` holding a PNG is fine
 * here, and the server, which goes by the name, must be told `.png`).
 */
async function uploadExtension(path: string): Promise<string> {
  const own = extname(path).slice(1).toLowerCase();
  if ((UPLOAD_FORMATS as readonly string[]).includes(own)) return own;
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = detectImageFormat(head.subarray(0, bytesRead));
    return format === 'jpeg' ? 'jpg' : (format ?? (own || 'bin'));
  } finally {
    await handle.close();
  }
}

function sum(images: readonly { size: number }[]): number {
  return images.reduce((total, image) => total + image.size, 0);
}
