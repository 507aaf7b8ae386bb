import { mkdtempSync, realpathSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A file tree for a test: path → contents (string or bytes). Folders are created as needed. */
export type Tree = Record<string, string | Uint8Array>;

/**
 * Creates a real temporary folder holding `tree` and removes it when the test finishes.
 * The returned path is the realpath (macOS /var → /private/var), so comparisons with resolved paths hold.
 */
export async function testdir(tree: Tree = {}, options: { keep?: boolean } = {}): Promise<string> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bach-test-')));
  await writeTree(root, tree);
  if (!options.keep) onTestFinished(() => rm(root, { recursive: true, force: true, maxRetries: 5 }));
  return root;
}

export async function writeTree(root: string, tree: Tree): Promise<void> {
  for (const [relative, contents] of Object.entries(tree)) {
    const target = join(root, relative);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents);
  }
}

/** Replaces a folder's absolute path with `<root>` so snapshots do not depend on the temp dir. */
export function normalizePaths(text: string, root: string): string {
  return text.split(root).join('<root>').replace(/\\/g, '/');
}
