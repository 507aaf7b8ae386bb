import { createHash, randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputChangedError } from './input-changed-error.js';
import { createMultipartLayout } from './multipart-layout.js';
import type { UploadFile } from './types.js';

// The multipart body of POST /batch-upload/submit-with-files (bach-api.md Part 1, "Batch upload"):
// one `files` part per file, then one `image_names` part per file, in the same order. Our own small
// encoder rather than undici's FormData of file-backed Blobs: that path copied every 64 KiB chunk
// twice on its way to the socket (Node's Blob stream, then undici's body stream) and left tens of MB
// of dead chunks between collections — the larger part of the upload's peak RSS (issue 14 item 4).
// Here each file is read once, in chunks of CHUNK_BYTES, hashed as it is read and handed to the
// socket as it is; the Content-Length comes from the planned sizes (multipart-layout.ts).
//
// The bytes sent must be the bytes the plan hashed (issue 16, item 5: an image saved, same size,
// between the plan and its upload was uploaded with its new bytes while bach.lock recorded the old
// hash). Sizes are checked before anything is sent. The content is hashed as it is sent: when a
// file's last byte is read, its sha256 must be the planned one, or the body stops there with an
// InputChangedError — before the part's end, the other parts and the closing boundary, so the server
// can never take the request as complete (and the Content-Length it was promised is never reached).
// A new body is built for every attempt, since a streamed body can be sent only once.

const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.tiff': 'image/tiff',
  '.tif': 'image/tiff',
};

/**
 * How much of a file is read at a time. Each chunk is a fresh buffer: the socket may still hold one
 * after undici asks for the next, so none is ever written into again.
 */
const CHUNK_BYTES = 64 * 1024;

export interface UploadForm {
  /** `multipart/form-data; boundary=…` */
  contentType: string;
  contentLength: number;
  /** The body; can be iterated once. Ends with an InputChangedError when a file is not what was planned. */
  body: AsyncIterable<Uint8Array>;
  /**
   * The InputChangedError the body ended with, if any: the HTTP client reports a body that failed as
   * its own transport error, and the caller must throw this one instead.
   */
  failure(): InputChangedError | undefined;
}

export interface UploadFormOptions {
  signal?: AbortSignal;
  /** For tests: a fixed boundary. */
  boundary?: string;
  /** For tests: called after each file's chunk is read, before it is handed on (e.g. to change the file mid-send). */
  onChunk?: (file: UploadFile, sent: number) => Promise<void> | void;
}

export async function createUploadForm(files: readonly UploadFile[], options: UploadFormOptions = {}): Promise<UploadForm> {
  const { signal } = options;
  signal?.throwIfAborted();
  for (const file of files) {
    const { size } = await stat(file.path);
    if (size !== file.size) throw new InputChangedError(file.path, `${file.size} → ${size} bytes`);
  }
  const boundary = options.boundary ?? createBoundary();
  const layout = createMultipartLayout(
    boundary,
    files.map((file) => ({ field: 'files', filename: file.name, contentType: IMAGE_TYPES[extname(file.name).toLowerCase()] ?? 'application/octet-stream', size: file.size })),
    files.map((file) => ({ field: 'image_names', value: file.name })),
  );
  let failure: InputChangedError | undefined;
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for (const segment of layout.segments) {
        if ('bytes' in segment) yield segment.bytes;
        else yield* readVerified(files[segment.file]!, options);
      }
    } catch (error) {
      if (error instanceof InputChangedError) failure = error;
      throw error;
    }
  }
  return { contentType: layout.contentType, contentLength: layout.contentLength, body: body(), failure: () => failure };
}

/** `bach-render-` and 32 random hex digits. */
export function createBoundary(): string {
  return `bach-render-${randomBytes(16).toString('hex')}`;
}

/**
 * One file's bytes, exactly `file.size` of them, hashed on the way. Each chunk is handed on only once
 * the next one is read, and the last one only once the whole file is known to be the planned one: a
 * file that changed ends the body before its part is complete.
 */
async function* readVerified(file: UploadFile, options: UploadFormOptions): AsyncGenerator<Uint8Array> {
  const handle = await open(file.path, 'r');
  try {
    const hash = createHash('sha256');
    let read = 0;
    let held: Uint8Array | undefined;
    while (read < file.size) {
      options.signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafeSlow(Math.min(CHUNK_BYTES, file.size - read));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) throw new InputChangedError(file.path, `${file.size} → ${read} bytes`);
      const bytes = bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
      hash.update(bytes);
      read += bytesRead;
      await options.onChunk?.(file, read);
      if (held) yield held;
      held = bytes;
    }
    const { bytesRead: beyond } = await handle.read(Buffer.alloc(1), 0, 1, read);
    if (beyond > 0) throw new InputChangedError(file.path, `now longer than ${file.size} bytes`);
    if (hash.digest('hex') !== file.sha256) throw new InputChangedError(file.path, 'same size, other bytes');
    if (held) yield held;
  } finally {
    await handle.close();
  }
}
