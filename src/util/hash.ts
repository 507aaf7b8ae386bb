import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** How much of a file is read at a time; one buffer per call, reused for the whole file. */
const HASH_CHUNK_BYTES = 128 * 1024;

/**
 * Reads a file through sha256 so memory stays flat whatever its size. One buffer, reused for every
 * read, rather than a stream's fresh 64 KiB chunk per read: a build hashing 2.4 GB of images (and
 * again before uploading them) otherwise leaves ~75,000 dead buffers for the garbage collector,
 * and the process's peak RSS carried tens of MB of them (issue 14 item 4c).
 */
export async function sha256File(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  signal?.throwIfAborted();
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(HASH_CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      signal?.throwIfAborted();
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * A pass-through stream that hashes and counts what flows through it, for pipelines that write a file
 * and must know what they wrote (downloads, verified copies) without reading it again.
 */
export function createHashingTap(): { stream: Transform; digest(): { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), size }) };
}
