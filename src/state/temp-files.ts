import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isTempFileName } from '../util/atomic-write.js';

// A process killed mid-write leaves its temp file (`.<name>.<random>.tmp`) behind — never a torn
// target, but litter. A build that holds the process lock removes them from the folders it writes.
// Beside the manifest (the user's own folder, where other tools keep files of their own) only the
// temp files of the lockfile are removed: `.bach.lock.<12 hex>.tmp`, exactly what writeFileAtomic
// names them, nothing else that merely looks like a temp file.

export async function removeStaleTempFiles(folders: readonly string[]): Promise<number> {
  let removed = 0;
  for (const folder of folders) {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!isTempFileName(name)) continue;
      await rm(join(folder, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}

/**
 * Removes what a build killed while writing `lockPath` left beside it. Call only under the folder
 * lock: the lockfile's only writer is a build, and the lock says no other build is running.
 */
export async function removeStaleLockfileTemps(lockPath: string): Promise<number> {
  const own = new RegExp(`^\\.${escapeRegExp(basename(lockPath))}\\.[0-9a-f]{12}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dirname(lockPath));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!own.test(name)) continue;
    await rm(join(dirname(lockPath), name), { force: true });
    removed += 1;
  }
  return removed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
