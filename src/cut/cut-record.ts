import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

// `.bach/cut.json`: what the last cut was made of, so that a cut with nothing new does nothing. A
// cut is current when the same shots (ids and video sha256, in order) went into a film of the same
// name in the same folder, and the film and its timeline are still there unaltered (size and mtime).
// Project state is untrusted input: the file is shape-checked when read and anything unexpected
// means "no record" (the next cut is simply made again).

const RECORD_VERSION = 1;

export interface CutRecord {
  version: typeof RECORD_VERSION;
  root: string;
  film: FileStamp & { path: string };
  otio: FileStamp & { path: string };
  clips: Array<{ id: string; sha256: string }>;
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export function cutRecordPath(root: string): string {
  return join(root, '.bach', 'cut.json');
}

export async function readCutRecord(root: string): Promise<CutRecord | null> {
  const text = await readFile(cutRecordPath(root), 'utf8').catch(() => null);
  return text === null ? null : parseCutRecord(text);
}

export function parseCutRecord(text: string): CutRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.version !== RECORD_VERSION || typeof value.root !== 'string') return null;
  const film = readStamp(value.film);
  const otio = readStamp(value.otio);
  if (!film || !otio || !Array.isArray(value.clips)) return null;
  const clips: CutRecord['clips'] = [];
  for (const clip of value.clips) {
    if (!isRecord(clip) || typeof clip.id !== 'string' || typeof clip.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(clip.sha256)) return null;
    clips.push({ id: clip.id, sha256: clip.sha256 });
  }
  return { version: RECORD_VERSION, root: value.root, film, otio, clips };
}

export async function writeCutRecord(root: string, record: Omit<CutRecord, 'version'>): Promise<void> {
  const path = cutRecordPath(root);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify({ version: RECORD_VERSION, ...record }, null, 2)}\n`);
}

/** Pure: whether the recorded cut is the one these clips would make. */
export function isCutCurrent(
  record: CutRecord | null,
  wanted: { root: string; film: string; otio: string; clips: Array<{ id: string; sha256: string }> },
  onDisk: { film: FileStamp | null; otio: FileStamp | null },
): boolean {
  if (!record || record.root !== wanted.root || record.film.path !== wanted.film || record.otio.path !== wanted.otio) return false;
  if (!sameStamp(record.film, onDisk.film) || !sameStamp(record.otio, onDisk.otio)) return false;
  return record.clips.length === wanted.clips.length && record.clips.every((clip, i) => clip.id === wanted.clips[i]!.id && clip.sha256 === wanted.clips[i]!.sha256);
}

function sameStamp(recorded: FileStamp, current: FileStamp | null): boolean {
  return current !== null && current.size === recorded.size && current.mtimeMs === recorded.mtimeMs;
}

function readStamp(value: unknown): (FileStamp & { path: string }) | null {
  if (!isRecord(value) || typeof value.path !== 'string' || !isCount(value.size) || typeof value.mtimeMs !== 'number' || !Number.isFinite(value.mtimeMs)) return null;
  return { path: value.path, size: value.size, mtimeMs: value.mtimeMs };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
