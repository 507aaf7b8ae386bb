import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { commitTempFile, tempPathFor } from '../util/atomic-write.js';

// Copies a video (from .bach/cache) to its place next to the manifest: streamed into a temp file in
// the destination folder while hashing, flushed, then renamed over the target — a reader never sees
// half a video, and the copy is verified against the hash the cache recorded.

export interface PlacedFile {
  size: number;
  sha256: string;
  stamp: { size: number; mtimeMs: number; ino: number };
}

export async function copyVerified(source: string, target: string, expectedSha256: string, signal?: AbortSignal): Promise<PlacedFile> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(source), tap, createWriteStream(temp), signal ? { signal } : {});
    const sha256 = hash.digest('hex');
    if (sha256 !== expectedSha256) throw new CorruptCacheError(source);
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await commitTempFile(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const stats = await stat(target);
  return { size, sha256: expectedSha256, stamp: { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino } };
}

export class CorruptCacheError extends Error {
  constructor(readonly file: string) {
    super(`cache entry ${file} does not match its recorded hash`);
    this.name = 'CorruptCacheError';
  }
}
