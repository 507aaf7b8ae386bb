import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Slow fixtures (a rendered storyboard) are kept between runs only with `--keep`: a stamp written
// after they were complete says which recipe made them, so a changed recipe builds them anew.

export async function hasStamp(dir: string, recipe: string): Promise<boolean> {
  try {
    return (await readFile(join(dir, '.bench-stamp'), 'utf8')) === recipe;
  } catch {
    return false;
  }
}

export async function writeStamp(dir: string, recipe: string): Promise<void> {
  await writeFile(join(dir, '.bench-stamp'), recipe);
}
