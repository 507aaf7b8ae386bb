import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { RunOverlay, ShotFailureNote } from './review-data.js';

// `.bach/review-failures.json`: the last failure of each shot (API message, task id, the fingerprint
// it failed for), so that `bach-render review` can show "failed" after the build that saw it has
// ended. Only failures are kept: what is in flight is known from the journal. The file is project
// state from whoever wrote the branch, so it is shape-checked when read; anything unexpected is
// ignored (a page without failure notes), never trusted.

const FILE_VERSION = 1;
const MAX_MESSAGE_CHARS = 2000;

export function reviewFailuresPath(root: string): string {
  return join(root, '.bach', 'review-failures.json');
}

export async function readShotFailures(root: string): Promise<RunOverlay['failed']> {
  let text: string;
  try {
    text = await readFile(reviewFailuresPath(root), 'utf8');
  } catch {
    return {};
  }
  return parseShotFailures(text);
}

export function parseShotFailures(text: string): RunOverlay['failed'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(parsed) || parsed.version !== FILE_VERSION || !isRecord(parsed.failed)) return {};
  const failed: Record<string, ShotFailureNote> = {};
  for (const [id, note] of Object.entries(parsed.failed)) {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id) || !isRecord(note) || typeof note.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(note.fingerprint)) continue;
    if (typeof note.message !== 'string') continue;
    if (note.taskId !== undefined && typeof note.taskId !== 'string') continue;
    failed[id] = {
      fingerprint: note.fingerprint,
      message: note.message.slice(0, MAX_MESSAGE_CHARS),
      ...(typeof note.taskId === 'string' ? { taskId: note.taskId.slice(0, 200) } : {}),
    };
  }
  return failed;
}

/** Called by the build at the end of a run with the overlay's failures (an empty record removes none: it writes `{}`). */
/**
 * Written atomically, and only when its text changes (every build calls this, and most have no
 * failure to note: a flushed write is milliseconds on the way to the build's exit).
 */
export async function writeShotFailures(root: string, failed: RunOverlay['failed']): Promise<void> {
  const path = reviewFailuresPath(root);
  const sorted = Object.fromEntries(Object.keys(failed).sort().map((id) => [id, failed[id]]));
  const text = `${JSON.stringify({ version: FILE_VERSION, failed: sorted }, null, 2)}\n`;
  const current = await readFile(path, 'utf8').catch(() => null);
  if (current === text) return;
  // Nothing failed and no file yet: no file reads as no failures (readShotFailures).
  if (current === null && Object.keys(sorted).length === 0) return;
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
