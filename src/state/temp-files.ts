import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTempFileName } from '../util/atomic-write.js';

// A process killed mid-write leaves its temp file (`.<name>.<random>.tmp`) behind — never a torn
// target, but litter. A build that holds the process lock removes them from the folders it writes.

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
