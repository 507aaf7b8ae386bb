import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FINGERPRINT_SCHEME } from '../contract/fingerprint-scheme.js';
import { readVersion } from '../version.js';
import { isCount, isFiniteNumber, isObject, isRootRelativePath, isShotId, parseJsonOrUndefined } from './shapes.js';

// make's rule for the no-op build. When a full plan finds nothing to do, the stamps (size, mtime,
// inode) of every file it depended on — the manifest, the lockfile, each referenced image and prompt
// file, each output — are kept in `.bach/up-to-date.json`. The next run stats those files before
// loading anything else; if every stamp is unchanged (and no task is recorded in the journal), it
// answers "no changes" without parsing YAML, hashing, or planning. Any difference, a missing file, a
// new bach-render version or a flag that changes the plan sends it down the full path.
//
// A stale snapshot can only make a build skip work, never pay for any; stamps are recorded only when
// the hash cache vouches that the content the plan used is the content those stamps describe.
// This module imports nothing heavy on purpose: it runs before the rest of bach-render is loaded.

const FORMAT = 1;
/** The manifest's name in a folder (load.ts has the same constant; importing it here would load the loader). */
const MANIFEST_NAME = 'bach.yaml';
const FILE = 'up-to-date.json';

export type Stamp = [size: number, mtimeMs: number, ino: number];

export interface Snapshot {
  format: typeof FORMAT;
  /** bach-render's version and fingerprint scheme: an upgrade may plan differently. */
  version: string;
  manifest: string;
  /** root-relative path → stamp */
  files: Record<string, Stamp>;
  /** Shot ids, in storyboard order (for the message). */
  shots: string[];
}

/** What an up-to-date snapshot is valid for: this version and its fingerprint scheme. */
export function snapshotVersion(): string {
  return `${readVersion()}+fp${FINGERPRINT_SCHEME}`;
}

/** Where the manifest named by `path` (a file, or a folder holding bach.yaml) lives; null when unknown. */
export function locateManifestFile(cwd: string, path: string): string | null {
  const absolute = resolve(cwd, path);
  try {
    return statSync(absolute).isDirectory() ? join(absolute, MANIFEST_NAME) : absolute;
  } catch {
    return null;
  }
}

/**
 * The manifest a command works on, found once at its start so that every later step reads the same
 * file. `path` is what loadManifest is given (and how messages name the manifest); `file` is its
 * absolute path, or null when there is none (the full path then reports it).
 *
 * PATH given: that file, or bach.yaml in that folder — no search. No PATH: bach.yaml in the current
 * folder or the nearest parent, like git finds `.git` (see findNearestManifest for where it stops);
 * none found keeps `.`, so the message names ./bach.yaml.
 */
export function resolveManifestPath(cwd: string, given: string | undefined): { path: string; file: string | null } {
  if (given !== undefined) return { path: given, file: locateManifestFile(cwd, given) };
  const file = findNearestManifest(cwd);
  if (!file) return { path: '.', file: null };
  return { path: relative(cwd, file).split(sep).join('/') || MANIFEST_NAME, file };
}

/**
 * bach.yaml in `start` or the nearest folder above it. The search stops at a repository root (a
 * folder holding `.git`, checked for bach.yaml first) and never enters a folder owned by another
 * user than `start` — a bach.yaml left in a shared folder such as /tmp by someone else must not be
 * built (and paid for) with your keys. Only stat calls: this runs on the no-op fast path.
 */
export function findNearestManifest(start: string): string | null {
  let folder = resolve(start);
  const owner = ownerOf(folder);
  for (;;) {
    const candidate = join(folder, MANIFEST_NAME);
    if (stampOf(candidate)) return candidate;
    if (exists(join(folder, '.git'))) return null;
    const parent = dirname(folder);
    if (parent === folder || ownerOf(parent) !== owner) return null;
    folder = parent;
  }
}

/** The shot ids when nothing changed since the snapshot; null when a full plan is needed. */
export function checkUpToDate(manifestFile: string, version: string): string[] | null {
  const root = dirname(manifestFile);
  const state = join(root, '.bach');
  // A `.bach` link leading out of the project is not this project's state: the full path refuses it.
  if (!isRealFolderInside(root, state)) return null;
  let text: string;
  try {
    text = readFileSync(join(state, FILE), 'utf8');
  } catch {
    return null;
  }
  // The hot path of the no-op build: the snapshot is checked for shape and every file in it is
  // stat-ed in one pass, without Stamp arrays or an exception per missing file (parseSnapshot's
  // rules, applied as the entries are read).
  const data = parseJsonOrUndefined(text);
  if (!isSnapshotHead(data) || data.version !== version || data.manifest !== manifestFile) return null;
  if (hasEntries(join(state, 'journal')) || exists(join(state, 'in-doubt.json'))) return null;
  // A lockfile write killed midway left its temp file: the full path (under the folder lock) sweeps it.
  if (hasLockfileTemp(manifestFile)) return null;
  const files = data.files;
  const prefix = root + sep;
  try {
    for (const path in files) {
      const stamp = files[path];
      if (!isRootRelativePath(path) || !isStamp(stamp)) return null;
      // A missing file, a path through a file or no permission throws: caught below. Called without
      // options on purpose: in Node 20 `statSync(path, { throwIfNoEntry: false })` takes a slower path
      // (about twice the time per call, 4 ms over 1,300 files), and only the first missing file throws.
      const now = statSync(prefix + path);
      if (!now.isFile() || now.size !== stamp[0] || now.mtimeMs !== stamp[1] || now.ino !== stamp[2]) return null;
    }
  } catch {
    return null;
  }
  return data.shots;
}

/** The snapshot's fields but the files' entries, checked (parseSnapshot checks those too). */
function isSnapshotHead(data: unknown): data is Omit<Snapshot, 'files'> & { files: Record<string, unknown> } {
  if (!isObject(data) || data.format !== FORMAT || typeof data.version !== 'string' || typeof data.manifest !== 'string') return false;
  return isObject(data.files) && Array.isArray(data.shots) && data.shots.every(isShotId);
}

/**
 * The snapshot when the text has the shape recordUpToDate writes, else null (a full plan). A damaged
 * or planted file must neither crash the no-op path nor steer it: paths stay inside the project (the
 * stamps of files elsewhere say nothing about it) and ids are shot ids (they are printed).
 */
export function parseSnapshot(text: string): Snapshot | null {
  const data = parseJsonOrUndefined(text);
  if (!isSnapshotHead(data)) return null;
  for (const [path, stamp] of Object.entries(data.files)) {
    if (!isRootRelativePath(path) || !isStamp(stamp)) return null;
  }
  return { format: FORMAT, version: data.version, manifest: data.manifest, files: data.files as Record<string, Stamp>, shots: data.shots };
}

function isStamp(value: unknown): value is Stamp {
  // Inode numbers may exceed 2^53 (they are read as doubles), so they are only checked to be numbers.
  return Array.isArray(value) && value.length === 3 && isCount(value[0]) && isFiniteNumber(value[1]) && isFiniteNumber(value[2]);
}

export interface RecordUpToDate {
  manifestFile: string;
  version: string;
  shots: string[];
  /** root-relative paths the plan depended on, with the stamps it saw them at (manifest, lockfile). */
  readAt: Record<string, Stamp | null>;
  /** root-relative paths whose content the plan used through the hash cache: stamp → is it vouched for? */
  hashed: readonly string[];
  vouches: (path: string, stamp: { size: number; mtimeMs: number; ino: number }) => boolean;
}

/** Records the snapshot, or removes a stale one when the state cannot be vouched for. */
export async function recordUpToDate(input: RecordUpToDate): Promise<void> {
  const root = dirname(input.manifestFile);
  const target = join(root, '.bach', FILE);
  const files: Record<string, Stamp> = {};
  for (const [path, before] of Object.entries(input.readAt)) {
    const now = stampOf(join(root, path));
    if (!before || !now || now.join() !== before.join()) return forget(target);
    files[path] = now;
  }
  for (const path of input.hashed) {
    const now = stampOf(join(root, path));
    if (!now || !input.vouches(path, { size: now[0], mtimeMs: now[1], ino: now[2] })) return forget(target);
    files[path] = now;
  }
  const snapshot: Snapshot = { format: FORMAT, version: input.version, manifest: input.manifestFile, files, shots: input.shots };
  // Loaded here, not at the top: the writer needs node:crypto, which the no-op check does not.
  const [{ mkdir }, { writeFileAtomic }] = await Promise.all([import('node:fs/promises'), import('../util/atomic-write.js')]);
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, `${JSON.stringify(snapshot)}\n`, { fsync: false });
}

/** A change is coming (or just happened): the snapshot no longer describes the folder. */
export async function forgetUpToDate(root: string): Promise<void> {
  await forget(join(root, '.bach', FILE));
}

export function stampOf(path: string): Stamp | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? [stats.size, stats.mtimeMs, stats.ino] : null;
  } catch {
    return null;
  }
}

export function toRootRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

async function forget(target: string): Promise<void> {
  const { rm } = await import('node:fs/promises');
  await rm(target, { force: true });
}

function hasEntries(folder: string): boolean {
  try {
    return readdirSync(folder).some((name) => name.endsWith('.json'));
  } catch {
    return false;
  }
}

function ownerOf(path: string): number | undefined {
  try {
    return statSync(path).uid;
  } catch {
    return undefined;
  }
}

/** `.bach.lock.<12 hex>.tmp` beside the manifest (the lockfile is `<manifest name>.lock`, see lockfilePathFor). */
function hasLockfileTemp(manifestFile: string): boolean {
  const prefix = `.${basename(manifestFile, extname(manifestFile))}.lock.`;
  try {
    return readdirSync(dirname(manifestFile)).some((name) => name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length)));
  } catch {
    return false;
  }
}

function isRealFolderInside(root: string, folder: string): boolean {
  try {
    if (!lstatSync(folder).isSymbolicLink()) return true;
    const rel = relative(realpathSync(root), realpathSync(folder));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
