import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '../contract/capabilities.js';

// Uploaded images live on disk, never whole in memory: a 300 × 8 MB batch streams part by part into
// a temp folder owned by this emulator (removed on close). Each reset() starts a new generation
// folder, so an upload still streaming into the old one fails harmlessly instead of resurrecting
// data after a reset. An image is served at `${origin}/cdn/uploads/<id>.<ext>`.

export interface StoredUpload {
  id: string;
  ext: string;
  path: string;
  size: number;
  sha256: string;
  /** Unix milliseconds. */
  createdAt: number;
}

export interface UploadStore {
  /** The temp folder this emulator owns (removed by close()). */
  readonly root: string;
  /** A writer for one incoming image; bytes past the size limit are counted but not kept. */
  createWriter(ext: string): Promise<UploadWriter>;
  get(id: string): StoredUpload | undefined;
  /** The upload an URL of this emulator names, if any (for fingerprints and input checks). */
  findByUrl(url: string): StoredUpload | undefined;
  urlOf(upload: StoredUpload): string;
  clear(): void;
  close(): Promise<void>;
}

export interface UploadWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Closes the file; the first bytes are returned for format sniffing. */
  finish(): Promise<{ size: number; sha256: string; head: Buffer; kept: boolean }>;
  /** Keeps the file as an upload (after it passed the checks). */
  commit(): StoredUpload;
  /** Removes the file (a failed image, or a request that failed as a whole). */
  discard(): Promise<void>;
}

const HEAD_BYTES = 4096;
const UPLOAD_PATH = /^\/cdn\/uploads\/([0-9a-f]{24})\.[a-z]+$/;

export function createUploadStore(options: { origin: () => string; now: () => number }): UploadStore {
  const root = mkdtempSync(join(tmpdir(), 'bach-emulator-'));
  let generation = 0;
  let folder = createGenerationFolder(root, generation);
  const uploads = new Map<string, StoredUpload>();

  const store: UploadStore = {
    root,
    async createWriter(ext) {
      const id = randomBytes(12).toString('hex');
      const path = join(folder, `${id}.${ext}`);
      const handle = await open(path, 'wx');
      return createWriter({ id, ext, path, handle, now: options.now, register: (upload) => uploads.set(id, upload) });
    },
    get: (id) => uploads.get(id),
    findByUrl(url) {
      const origin = options.origin();
      if (!url.startsWith(`${origin}/`)) return undefined;
      const match = UPLOAD_PATH.exec(url.slice(origin.length));
      return match ? uploads.get(match[1]!) : undefined;
    },
    urlOf: (upload) => `${options.origin()}/cdn/uploads/${upload.id}.${upload.ext}`,
    clear() {
      uploads.clear();
      rmSync(folder, { recursive: true, force: true });
      generation += 1;
      folder = createGenerationFolder(root, generation);
    },
    async close() {
      uploads.clear();
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  return store;
}

function createWriter(input: {
  id: string;
  ext: string;
  path: string;
  handle: FileHandle;
  now: () => number;
  register: (upload: StoredUpload) => void;
}): UploadWriter {
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  let closed = false;
  let summary: StoredUpload | undefined;

  const closeHandle = async () => {
    if (closed) return;
    closed = true;
    await input.handle.close();
  };

  return {
    async write(chunk) {
      size += chunk.length;
      if (headLength < HEAD_BYTES) {
        const piece = Buffer.from(chunk.subarray(0, HEAD_BYTES - headLength));
        headChunks.push(piece);
        headLength += piece.length;
      }
      // Past the limit the image fails anyway; stop spending disk on it.
      if (size > LIMITS.uploadImageBytes) return;
      hash.update(chunk);
      await input.handle.write(chunk);
    },
    async finish() {
      await closeHandle();
      const kept = size <= LIMITS.uploadImageBytes;
      const sha256 = hash.digest('hex');
      summary = { id: input.id, ext: input.ext, path: input.path, size, sha256, createdAt: input.now() };
      return { size, sha256, head: Buffer.concat(headChunks), kept };
    },
    commit() {
      if (!summary) throw new Error('upload writer: commit() before finish()');
      input.register(summary);
      return summary;
    },
    async discard() {
      await closeHandle().catch(() => {});
      await rm(input.path, { force: true });
    },
  };
}

function createGenerationFolder(root: string, generation: number): string {
  const folder = join(root, `g${generation}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}
