import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, MANIFEST_CACHE_PATH } from '../../../src/manifest/load.js';
import { testdir } from '../../helpers/testdir.js';

// The manifest cache: a load with `cache: true` reuses parse + schema for a text seen before, and
// never changes what is reported.

const png = await readFile(new URL('../../../examples/refs/hero-front.png', import.meta.url));
const manifest = `version: 1
shots:
  - id: a
    mode: image-to-video
    image: frames/a.png
    prompt: She opens her eyes
  - id: b
    mode: text-to-video
    prompt: A sunset
`;

async function project() {
  return testdir({ 'bach.yaml': manifest, 'frames/a.png': png });
}

describe('manifest cache', () => {
  it('is written by a good load and gives the same manifest on the next', async () => {
    const root = await project();
    const first = await loadManifest('bach.yaml', { cwd: root, cache: true });
    const cached = JSON.parse(await readFile(join(root, MANIFEST_CACHE_PATH), 'utf8'));
    expect(cached.shots).toEqual([[3, 5], [7, 5]]);
    const second = await loadManifest('bach.yaml', { cwd: root, cache: true });
    expect(second).toEqual(first);
  });

  it('is used when the text is unchanged, and not when it changed', async () => {
    const root = await project();
    await loadManifest('bach.yaml', { cwd: root, cache: true });
    // Tamper with the cached value: a hit shows the tampered prompt, a miss the real one.
    const path = join(root, MANIFEST_CACHE_PATH);
    const entry = JSON.parse(await readFile(path, 'utf8'));
    entry.value.shots[1].prompt = 'from the cache';
    await writeFile(path, JSON.stringify(entry));
    const hit = await loadManifest('bach.yaml', { cwd: root, cache: true });
    expect(hit.ok && hit.manifest.shots[1]?.prompt).toEqual({ kind: 'text', text: 'from the cache' });
    await writeFile(join(root, 'bach.yaml'), manifest.replace('A sunset', 'A sunrise'));
    const miss = await loadManifest('bach.yaml', { cwd: root, cache: true });
    expect(miss.ok && miss.manifest.shots[1]?.prompt).toEqual({ kind: 'text', text: 'A sunrise' });
  });

  it('reports a problem found on a cached value at its real position', async () => {
    const root = await project();
    await loadManifest('bach.yaml', { cwd: root, cache: true });
    await rm(join(root, 'frames/a.png'));
    const result = await loadManifest('bach.yaml', { cwd: root, cache: true });
    expect(!result.ok && result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['file-missing', 5, 12]]);
  });

  it('ignores a corrupt cache file', async () => {
    const root = await project();
    await loadManifest('bach.yaml', { cwd: root, cache: true });
    await writeFile(join(root, MANIFEST_CACHE_PATH), '{"format": "bach-manifest-cache/1", "key": ');
    const result = await loadManifest('bach.yaml', { cwd: root, cache: true });
    expect(result.ok).toBe(true);
  });

  it('is not written for an invalid manifest', async () => {
    const root = await testdir({ 'bach.yaml': 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n' });
    expect((await loadManifest('bach.yaml', { cwd: root, cache: true })).ok).toBe(false);
    await expect(readFile(join(root, MANIFEST_CACHE_PATH))).rejects.toThrow(/ENOENT/);
  });
});
