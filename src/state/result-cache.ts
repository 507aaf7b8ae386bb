import { copyFile, constants, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShotIdentity } from '../contract/shot-identity.js';
import { MODES } from '../contract/capabilities.js';
import type { RequestBody } from '../contract/create-request.js';
import type { Mode } from '../contract/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isCount, isObject, isSha256Hex, isShotId, isTaskIdText, parseJsonOrUndefined } from './shapes.js';

// `.bach/cache/`: every result bach-render paid for, keyed by fingerprint — so undoing an edit, a
// deleted output or a shot edited while in flight costs nothing. An entry is the video
// (`<fp>.mp4`, moved in atomically once checked) plus its record (`<fp>.json`, written after the
// video); an entry without its record is incomplete and ignored.

export interface CacheRecord extends ShotIdentity {
  cacheVersion: 1;
  taskId: string;
  /** The shot it was rendered for (records written since `clean` and `show`; older ones lack it). */
  shotId?: string;
  size: number;
  sha256: string;
}

export function cacheVideoPath(cacheDir: string, fingerprint: string): string {
  return join(cacheDir, `${fingerprint}.mp4`);
}

function cacheRecordPath(cacheDir: string, fingerprint: string): string {
  return join(cacheDir, `${fingerprint}.json`);
}

/** Fingerprints with a complete entry. One readdir, no file reads: cheap enough for every plan. */
export async function listCachedFingerprints(cacheDir: string): Promise<Set<string>> {
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  const present = new Set(names);
  const complete = new Set<string>();
  for (const name of names) {
    const match = /^([0-9a-f]{64})\.json$/.exec(name);
    if (match && present.has(`${match[1]}.mp4`)) complete.add(match[1]!);
  }
  return complete;
}

export async function readCacheRecord(cacheDir: string, fingerprint: string): Promise<CacheRecord | null> {
  let text: string;
  try {
    text = await readFile(cacheRecordPath(cacheDir, fingerprint), 'utf8');
  } catch {
    return null;
  }
  return parseCacheRecord(text, fingerprint);
}

/**
 * A record with the shape writeCacheRecord gives it, for this fingerprint; null for anything else —
 * the entry is then treated as absent (see checkCacheRecords), never used half-read.
 */
export function parseCacheRecord(text: string, fingerprint: string): CacheRecord | null {
  const data = parseJsonOrUndefined(text);
  if (!isObject(data) || data.cacheVersion !== 1 || data.fingerprint !== fingerprint || !isSha256Hex(fingerprint)) return null;
  const { mode, request, seed, taskId, size, sha256 } = data;
  if (typeof mode !== 'string' || !Object.hasOwn(MODES, mode) || !isObject(request)) return null;
  if (!isCount(seed) || request.seed !== seed || !isTaskIdText(taskId) || !isCount(size) || size === 0 || !isSha256Hex(sha256)) return null;
  const shotId = data.shotId;
  if (shotId !== undefined && !isShotId(shotId)) return null;
  return { cacheVersion: 1, fingerprint, mode: mode as Mode, request: request as RequestBody, seed, taskId, size, sha256, ...(shotId !== undefined ? { shotId } : {}) };
}

/**
 * Of the cache entries a plan wants to restore from, those whose record cannot be used (unreadable,
 * damaged, planted). The plan then treats them as not cached — the shot is rendered again, and the
 * new result replaces the entry — instead of failing with "its cache entry disappeared" forever.
 */
export async function findDamagedCacheEntries(cacheDir: string, fingerprints: Iterable<string>): Promise<string[]> {
  const damaged: string[] = [];
  for (const fingerprint of new Set(fingerprints)) {
    if ((await readCacheRecord(cacheDir, fingerprint)) === null) damaged.push(fingerprint);
  }
  return damaged;
}

/** Records a video already moved into `cacheVideoPath(...)`; the record is what makes the entry count. */
export async function writeCacheRecord(cacheDir: string, record: CacheRecord): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(cacheRecordPath(cacheDir, record.fingerprint), `${JSON.stringify(record, null, 2)}\n`);
}

export async function removeCacheEntry(cacheDir: string, fingerprint: string): Promise<void> {
  await rm(cacheRecordPath(cacheDir, fingerprint), { force: true });
  await rm(cacheVideoPath(cacheDir, fingerprint), { force: true });
}

/** Copies a cached video to a temp path (a reflink where the file system can). */
export async function copyCachedVideo(cacheDir: string, fingerprint: string, destination: string): Promise<void> {
  await copyFile(cacheVideoPath(cacheDir, fingerprint), destination, constants.COPYFILE_FICLONE);
}
