import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { parseLockfile, serializeLockfile } from './parse-lockfile.js';
import { emptyLockfile, type Lockfile } from './types.js';

/** `bach.yaml` → `bach.lock`, beside the manifest. */
export function lockfilePathFor(manifestFile: string): string {
  const name = basename(manifestFile, extname(manifestFile));
  return join(dirname(manifestFile), `${name}.lock`);
}

export interface LockfileState {
  lock: Lockfile;
  /** The file's text as read (null when there is no lockfile yet); unchanged text is never rewritten. */
  text: string | null;
}

export async function readLockfile(path: string, displayName = path): Promise<LockfileState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lock: emptyLockfile(), text: null };
    throw error;
  }
  return { lock: parseLockfile(text, displayName), text };
}

/**
 * Writes the lockfile atomically unless its bytes would not change (a no-op build leaves the file
 * byte-identical, mtime included). Returns the text now on disk.
 */
export async function writeLockfile(path: string, lock: Lockfile, previousText: string | null): Promise<string> {
  const text = serializeLockfile(lock);
  if (text !== previousText) await writeFileAtomic(path, text);
  return text;
}
