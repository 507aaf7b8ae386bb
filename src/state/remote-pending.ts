import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isObject, isSha256Hex, parseJsonOrUndefined } from './shapes.js';

// `.bach/remote-pending.json`: the fingerprints of results a build rendered but could not push to the
// team cache (it was unreachable, refused the write, …). The next build that gets past the no-op fast
// path pushes them with its own (issue 11, item 3: a failed push is retried by the next build, never
// lost). Read through a shape check: anything but a list of sha256 fingerprints is ignored, so a
// damaged or planted file can neither name another key nor fail a build.

export const REMOTE_PENDING_FILE = 'remote-pending.json';

export function remotePendingPath(stateDir: string): string {
  return join(stateDir, REMOTE_PENDING_FILE);
}

export async function readRemotePending(stateDir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(remotePendingPath(stateDir), 'utf8');
  } catch {
    return [];
  }
  const parsed = parseJsonOrUndefined(text);
  if (!isObject(parsed) || parsed.version !== 1 || !Array.isArray(parsed.fingerprints)) return [];
  return [...new Set(parsed.fingerprints.filter(isSha256Hex))];
}

/** Writes the list (sorted, deduplicated); an empty list removes the file. */
export async function writeRemotePending(stateDir: string, fingerprints: Iterable<string>): Promise<void> {
  const list = [...new Set(fingerprints)].sort();
  const file = remotePendingPath(stateDir);
  if (list.length === 0) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, fingerprints: list }, null, 2)}\n`);
}
