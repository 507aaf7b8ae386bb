import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkUpToDate } from '../../../src/state/up-to-date.js';
import { testdir } from '../../helpers/testdir.js';

// The no-op check itself (state/up-to-date.ts) against real files: it checks the snapshot's shape
// and stats every file it names in one pass (issue 14 item 4b made it so), and whatever it meets —
// a changed stamp, a missing file, a path through a file, a planted path — it answers null (a full
// plan), never throws and never looks outside the project.

const VERSION = 'test-version';

async function project(files: (root: string) => Record<string, unknown>) {
  const root = await testdir({ 'bach.yaml': 'version: 1\n', 'renders/a.mp4': 'video', 'images/x.png': 'png' });
  mkdirSync(join(root, '.bach'), { recursive: true });
  const manifest = join(root, 'bach.yaml');
  const write = (entries: Record<string, unknown>) =>
    writeFileSync(join(root, '.bach/up-to-date.json'), JSON.stringify({ format: 1, version: VERSION, manifest, files: entries, shots: ['a'] }));
  write(files(root));
  return { root, manifest, write };
}

const stampOf = (path: string) => {
  const s = statSync(path);
  return [s.size, s.mtimeMs, s.ino];
};

describe('checkUpToDate', () => {
  it('answers the shot ids while every stamp holds, null once one changes', async () => {
    const { root, manifest } = await project((root) => ({
      'bach.yaml': stampOf(join(root, 'bach.yaml')),
      'renders/a.mp4': stampOf(join(root, 'renders/a.mp4')),
      'images/x.png': stampOf(join(root, 'images/x.png')),
    }));
    expect(checkUpToDate(manifest, VERSION)).toEqual(['a']);
    expect(checkUpToDate(manifest, 'another version')).toBeNull();
    writeFileSync(join(root, 'images/x.png'), 'png, edited');
    expect(checkUpToDate(manifest, VERSION)).toBeNull();
  });

  it('answers null for a missing file, a path through a file, a planted path or stamp — without throwing', async () => {
    const { root, manifest, write } = await project(() => ({}));
    const good = { 'bach.yaml': stampOf(join(root, 'bach.yaml')) };
    write({ ...good, 'renders/gone.mp4': [1, 2, 3] });
    expect(checkUpToDate(manifest, VERSION)).toBeNull();
    // ENOTDIR, not ENOENT: statSync throws even with throwIfNoEntry: false.
    write({ ...good, 'renders/a.mp4/inside': [1, 2, 3] });
    expect(checkUpToDate(manifest, VERSION)).toBeNull();
    write({ ...good, '../outside': [1, 2, 3] });
    expect(checkUpToDate(manifest, VERSION)).toBeNull();
    write({ ...good, 'renders/a.mp4': [1, 2] });
    expect(checkUpToDate(manifest, VERSION)).toBeNull();
    write(good);
    expect(checkUpToDate(manifest, VERSION)).toEqual(['a']);
  });
});
