import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

// Writes `<output>/index.html` atomically, and only when its content changed: an unchanged page keeps
// its bytes and its mtime (a browser tab, a file watcher or a CI cache sees no change).

export const REVIEW_PAGE_NAME = 'index.html';

export interface WrittenPage {
  /** Absolute path of the page. */
  path: string;
  /** False when the page on disk already had this content. */
  written: boolean;
}

export async function writeReviewPage(root: string, output: string, html: string): Promise<WrittenPage> {
  const folder = join(root, output);
  const path = join(folder, REVIEW_PAGE_NAME);
  const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw error;
  });
  if (current === html) return { path, written: false };
  await mkdir(folder, { recursive: true });
  await writeFileAtomic(path, html);
  return { path, written: true };
}
