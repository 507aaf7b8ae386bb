import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readCacheRecord, type CacheRecord } from '../state/result-cache.js';

// The takes in `.bach/cache/`: every complete entry with its record and when it was written — what
// `show` lists for a shot and what `clean` prunes. A record written before takes named their shot
// (shotId) belongs to no shot here.

export interface CacheTake {
  fingerprint: string;
  record: CacheRecord;
  /** When the record was written (its mtime), ms since the epoch. */
  writtenMs: number;
}

export async function readCacheTakes(cacheDir: string, fingerprints: Iterable<string>): Promise<CacheTake[]> {
  const takes = await Promise.all(
    [...fingerprints].map(async (fingerprint): Promise<CacheTake | null> => {
      const record = await readCacheRecord(cacheDir, fingerprint);
      if (!record) return null;
      const { mtimeMs } = await stat(join(cacheDir, `${fingerprint}.json`)).catch(() => ({ mtimeMs: 0 }));
      return { fingerprint, record, writtenMs: mtimeMs };
    }),
  );
  return takes.filter((take): take is CacheTake => take !== null).sort((a, b) => b.writtenMs - a.writtenMs);
}
