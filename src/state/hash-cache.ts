import type { Stats } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isCount, isFiniteNumber, isObject, isRootRelativePath, isSha256Hex, parseJsonOrUndefined } from './shapes.js';

// A stat cache for content hashes: path → (size, mtime, inode) → sha256, so that a build over
// unchanged files does not read them again (make's rule, with git's "racy" caution: a file modified
// within RACY_WINDOW_MS of being hashed is not cached, because a second edit in the same mtime tick
// would be invisible). Losing this file costs only re-hashing; a damaged one is ignored.

const FORMAT = 1;
const RACY_WINDOW_MS = 2_000;

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

interface HashRecord extends FileStamp {
  sha256: string;
}

export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

export class HashCache {
  private readonly records: Map<string, HashRecord>;
  private dirty = false;

  constructor(records: Iterable<[string, HashRecord]> = []) {
    this.records = new Map(records);
  }

  static async read(file: string): Promise<HashCache> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return new HashCache();
    }
    return new HashCache(parseHashRecords(text));
  }

  /** The cached sha256 for `path` if its stamp is unchanged. */
  get(path: string, stamp: FileStamp): string | undefined {
    const record = this.records.get(path);
    if (!record) return undefined;
    return record.size === stamp.size && record.mtimeMs === stamp.mtimeMs && record.ino === stamp.ino
      ? record.sha256
      : undefined;
  }

  set(path: string, stamp: FileStamp, sha256: string, now: number): void {
    if (now - stamp.mtimeMs < RACY_WINDOW_MS) {
      // Too fresh to trust the stamp; forget any older record so it cannot be matched by accident.
      if (this.records.delete(path)) this.dirty = true;
      return;
    }
    const previous = this.records.get(path);
    if (previous && previous.sha256 === sha256 && previous.size === stamp.size && previous.mtimeMs === stamp.mtimeMs && previous.ino === stamp.ino) {
      return;
    }
    this.records.set(path, { ...stamp, sha256 });
    this.dirty = true;
  }

  /**
   * Records a file bach-render itself just wrote, whose hash it computed while writing: no racy
   * window applies, and without this every no-op build would re-read every fresh output.
   */
  setOwn(path: string, stamp: FileStamp, sha256: string): void {
    this.records.set(path, { ...stamp, sha256 });
    this.dirty = true;
  }

  async write(file: string): Promise<void> {
    if (!this.dirty) return;
    const files: Record<string, HashRecord> = {};
    for (const [path, record] of [...this.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) files[path] = record;
    await mkdir(dirname(file), { recursive: true });
    // A cache: atomic (never half-written) but not fsynced, a lost update only costs re-hashing.
    await writeFileAtomic(file, `${JSON.stringify({ format: FORMAT, files })}\n`, { fsync: false });
    this.dirty = false;
  }
}

/**
 * The records of a hashes.json text that have the shape this class writes; anything else (a damaged
 * or planted file, a record of a path outside the project) is dropped, which costs only re-hashing.
 */
export function parseHashRecords(text: string): Array<[string, HashRecord]> {
  const data = parseJsonOrUndefined(text);
  if (!isObject(data) || data.format !== FORMAT || !isObject(data.files)) return [];
  return Object.entries(data.files).flatMap(([path, record]): Array<[string, HashRecord]> => {
    if (!isRootRelativePath(path) || !isObject(record)) return [];
    const { sha256, size, mtimeMs, ino } = record;
    // Inode numbers may exceed 2^53 (they are read as doubles): only checked to be numbers.
    if (!isSha256Hex(sha256) || !isCount(size) || !isFiniteNumber(mtimeMs) || !isFiniteNumber(ino)) return [];
    return [[path, { sha256, size, mtimeMs, ino }]];
  });
}
