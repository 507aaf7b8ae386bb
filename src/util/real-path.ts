import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';

// Where a path really leads, for the checks that keep bach-render's reads and writes inside the
// project: the real path (symbolic links resolved) of a path, or — when it does not exist yet — of
// what `mkdir -p` would create it under. Shared by the manifest's file checks and the build's check
// of `.bach/`, the lockfile and the output folder.

/**
 * The real path of `path`, or of its nearest existing ancestor when it does not exist; a dangling
 * link leads where its target would be. undefined for a cycle of links (nothing can be written
 * through one: the write fails on its own).
 */
export async function realpathOfNearest(path: string): Promise<string | undefined> {
  let current = path;
  for (let hops = 0; hops < 64; hops++) {
    try {
      return await realpath(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return undefined;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const link = await readDanglingLink(current);
    if (link !== undefined) {
      current = link;
      continue;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** Whether `real` is `rootReal` or inside it (both real paths). */
export function isInsideFolder(rootReal: string, real: string): boolean {
  const rel = relative(rootReal, real);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function readDanglingLink(path: string): Promise<string | undefined> {
  try {
    if (!(await lstat(path)).isSymbolicLink()) return undefined;
    const target = await readlink(path);
    return isAbsolute(target) ? target : join(dirname(path), target);
  } catch {
    return undefined;
  }
}
