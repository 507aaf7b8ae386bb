import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../../src/manifest/load.js';
import { findNearestManifest, resolveManifestPath } from '../../../src/state/up-to-date.js';
import { testdir } from '../../helpers/testdir.js';

// Which manifest a command works on when no PATH is given: the nearest bach.yaml, like git finds .git.
// The no-op fast path (state/up-to-date.ts) and the loader (manifest/load.ts) must agree on the file.

const MANIFEST = 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: p\n';

describe('resolveManifestPath', () => {
  it('takes bach.yaml in the current folder', async () => {
    const root = await testdir({ 'bach.yaml': MANIFEST });
    expect(resolveManifestPath(root, undefined)).toEqual({ path: 'bach.yaml', file: join(root, 'bach.yaml') });
  });

  it('finds bach.yaml in the nearest parent, named relative to the current folder', async () => {
    const root = await testdir({ 'bach.yaml': MANIFEST, 'film/bach.yaml': MANIFEST, 'film/frames/deep/x.png': 'x' });
    const cwd = join(root, 'film/frames/deep');
    expect(resolveManifestPath(cwd, undefined)).toEqual({ path: '../../bach.yaml', file: join(root, 'film/bach.yaml') });
    // The loader, given that path, reads the same file the fast path stats.
    const loaded = await loadManifest(resolveManifestPath(cwd, undefined).path, { cwd });
    expect(loaded.source?.absFile).toBe(join(root, 'film/bach.yaml'));
    expect(loaded.source?.file).toBe('../../bach.yaml');
  });

  it('stops at the repository root', async () => {
    const root = await testdir({ 'bach.yaml': MANIFEST, 'repo/src/x.ts': '' });
    mkdirSync(join(root, 'repo/.git'));
    expect(findNearestManifest(join(root, 'repo/src'))).toBeNull();
    expect(resolveManifestPath(join(root, 'repo/src'), undefined)).toEqual({ path: '.', file: null });
  });

  // Changing a folder's owner needs root; elsewhere this case is covered by reading the code only.
  it.skipIf(process.getuid?.() !== 0)('does not enter a folder owned by someone else', async () => {
    const root = await testdir({ 'shared/bach.yaml': MANIFEST, 'shared/mine/x': '' });
    chownSync(join(root, 'shared'), 12345, 12345);
    expect(findNearestManifest(join(root, 'shared/mine'))).toBeNull();
    chownSync(join(root, 'shared'), 0, 0);
    expect(findNearestManifest(join(root, 'shared/mine'))).toBe(join(root, 'shared/bach.yaml'));
  });

  it('looks no further when a PATH is given', async () => {
    const root = await testdir({ 'bach.yaml': MANIFEST, 'sub/x': '' });
    expect(resolveManifestPath(join(root, 'sub'), '.')).toEqual({ path: '.', file: join(root, 'sub/bach.yaml') });
    expect(resolveManifestPath(root, 'nowhere')).toEqual({ path: 'nowhere', file: null });
    const loaded = await loadManifest('.', { cwd: join(root, 'sub') });
    expect(!loaded.ok && loaded.diagnostics[0]?.code).toBe('manifest-missing');
  });
});
