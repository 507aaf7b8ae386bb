import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { sha256File } from '../util/hash.js';
import { type HashCache, stampOf } from './hash-cache.js';

// Hashes files through the stat cache. Only files whose (size, mtime, inode) changed are read.

export interface HashedFile {
  sha256: string;
  size: number;
}

export interface HashFilesOptions {
  root: string;
  cache: HashCache;
  now: () => number;
  concurrency?: number;
}

/** Hashes every path (root-relative); a path that does not exist maps to null. */
export async function hashFiles(paths: Iterable<string>, options: HashFilesOptions): Promise<Map<string, HashedFile | null>> {
  const limit = pLimit(options.concurrency ?? 16);
  const unique = [...new Set(paths)];
  const results = await Promise.all(unique.map((path) => limit(() => hashOne(path, options))));
  return new Map(unique.map((path, index) => [path, results[index]!]));
}

async function hashOne(path: string, { root, cache, now }: HashFilesOptions): Promise<HashedFile | null> {
  const absolute = join(root, path);
  let stats;
  try {
    stats = await stat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
  if (!stats.isFile()) return null;
  const stamp = stampOf(stats);
  const cached = cache.get(path, stamp);
  if (cached !== undefined) return { sha256: cached, size: stamp.size };
  const { sha256, size } = await sha256File(absolute);
  // Re-stat: if the file changed while it was read, the hash belongs to neither version; report it
  // but do not cache it.
  const after = stampOf(await stat(absolute));
  if (after.size === size && after.mtimeMs === stamp.mtimeMs && after.ino === stamp.ino) cache.set(path, stamp, sha256, now());
  return { sha256, size };
}
