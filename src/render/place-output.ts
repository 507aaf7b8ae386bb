import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { commitTempFile, tempPathFor } from '../util/atomic-write.js';
import { createHashingTap } from '../util/hash.js';

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
  const tap = createHashingTap();
  let size: number;
  try {
    await pipeline(createReadStream(source), tap.stream, createWriteStream(temp), signal ? { signal } : {});
    const digest = tap.digest();
    if (digest.sha256 !== expectedSha256) throw new CorruptCacheError(source);
    size = digest.size;
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
