import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isInsideFolder } from '../util/real-path.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { PreparedManifest } from './complete.js';
import { collectReferences, listReferencedFiles, localOutputFolder } from './file-refs.js';
import type { Locate, SourceSpan } from './source-span.js';

// A cache of the first half of loading (parse + schema), kept in `.bach/manifest-cache.json`.
//
// Why: the yaml library parses about 1 MB/s cold — some 180 ms for a 1,000-shot manifest, more than
// a whole no-op build may take. Parsing and schema validation depend only on the text (and the
// schema), so their result for a text seen before can be reused: the cache holds the parsed value
// of the last manifest that passed the schema, keyed by the sha256 of the text, the schema and this
// format. The rules and resolve still run on every load (files change without the text changing).
//
// Only what resolve needs is kept of the positions (where each shot starts). When the rules find any
// problem on a cached value, the loader parses the text again to report it at its real position;
// so diagnostics never depend on the cache, and deleting the file is always safe.

const CACHE_FORMAT = 'bach-manifest-cache/1';

export interface ManifestCacheEntry {
  format: typeof CACHE_FORMAT;
  key: string;
  value: unknown;
  /** [line, col] of each shot, in order. */
  shots: Array<[number, number]>;
}

export function createCacheKey(text: string, schemaSha256: string): string {
  return createHash('sha256').update(`${CACHE_FORMAT}\u0000${schemaSha256}\u0000`).update(text).digest('hex');
}

export function createCacheEntry(key: string, prepared: PreparedManifest): ManifestCacheEntry {
  const shots = (prepared.value as { shots: unknown[] }).shots;
  return {
    format: CACHE_FORMAT,
    key,
    value: prepared.value,
    shots: shots.map((_, index) => {
      const span = prepared.locate(['shots', index]);
      return [span.line, span.col];
    }),
  };
}

/** The first half of the pipeline, answered from the cache: the value passed the schema when cached. */
export function prepareFromCache(entry: ManifestCacheEntry): PreparedManifest {
  const references = collectReferences(entry.value);
  return {
    value: entry.value,
    schemaDiagnostics: [],
    locate: createCachedLocate(entry.shots),
    warnings: [],
    references,
    files: listReferencedFiles(references),
    output: localOutputFolder(entry.value),
  };
}

/** Knows where shots start; anything else is at 1:1 (the loader re-parses before reporting a problem). */
function createCachedLocate(shots: ReadonlyArray<[number, number]>): Locate {
  return (path) => {
    const start = path.length === 2 && path[0] === 'shots' && typeof path[1] === 'number' ? shots[path[1]] : undefined;
    const [line, col] = start ?? [1, 1];
    const span: SourceSpan = { line, col, endLine: line, endCol: col + 1 };
    return span;
  };
}

export async function readManifestCache(path: string): Promise<ManifestCacheEntry | undefined> {
  try {
    return parseManifestCache(await readFile(path, 'utf8'));
  } catch {
    return undefined; // missing or unreadable: a miss
  }
}

/**
 * The entry when the text has the shape createCacheEntry gives it — a value with as many shots as
 * there are positions, each position a pair of line and column — else undefined (a miss). A value
 * of another shape would reach resolve, which trusts what passed the schema.
 */
export function parseManifestCache(text: string): ManifestCacheEntry | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(entry) || entry.format !== CACHE_FORMAT || typeof entry.key !== 'string' || !/^[0-9a-f]{64}$/.test(entry.key)) return undefined;
  const { value, shots } = entry;
  if (!isPlainObject(value) || !Array.isArray(value.shots) || !Array.isArray(shots) || shots.length !== value.shots.length) return undefined;
  if (!shots.every((at) => Array.isArray(at) && at.length === 2 && at.every((n) => Number.isSafeInteger(n) && (n as number) >= 1))) return undefined;
  return { format: CACHE_FORMAT, key: entry.key, value, shots: shots as Array<[number, number]> };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Whether `.bach/` beside the manifest may hold the cache: a real folder, a link that stays inside the
 * project, or nothing yet. A `.bach` link that leads elsewhere is neither read (what it holds is not
 * this project's) nor written through; the build refuses such a link before it writes anything else
 * (state/project-links.ts), and loading must not write through it first.
 */
export async function isStateFolderInside(root: string): Promise<boolean> {
  const folder = join(root, '.bach');
  try {
    if (!(await lstat(folder)).isSymbolicLink()) return true;
  } catch {
    return true; // not there yet: it will be created as a real folder
  }
  try {
    const [rootReal, real] = await Promise.all([realpath(root), realpath(folder)]);
    return isInsideFolder(rootReal, real);
  } catch {
    return false; // a dangling or looping link
  }
}

export async function writeManifestCache(path: string, entry: ManifestCacheEntry): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, JSON.stringify(entry), { fsync: false });
  } catch {
    /* a cache that cannot be written is only slower */
  }
}
