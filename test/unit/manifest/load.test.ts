import { mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../../src/manifest/load.js';
import { testdir } from '../../helpers/testdir.js';

// The shell: reading the manifest and gathering facts from a real folder.

const png = await readFile(new URL('../../../examples/refs/hero-front.png', import.meta.url));
const i2v = (image: string) => `version: 1\nshots:\n  - id: a\n    mode: image-to-video\n    image: ${image}\n`;
const codes = (result: Awaited<ReturnType<typeof loadManifest>>) => (result.ok ? [] : result.diagnostics.map((d) => d.code));

describe('loadManifest', () => {
  it('loads a folder holding bach.yaml and names the file as the user did', async () => {
    const root = await testdir({ 'project/bach.yaml': i2v('frames/a.png'), 'project/frames/a.png': png });
    const result = await loadManifest('project', { cwd: root });
    expect(result.ok).toBe(true);
    expect(result.source?.file).toBe(join('project', 'bach.yaml'));
    expect(result.ok && result.manifest.root).toBe(join(root, 'project'));
    expect(result.ok && result.manifest.shots[0]?.image).toEqual({ kind: 'file', path: 'frames/a.png' });
  });

  it('reports a missing manifest as a diagnostic', async () => {
    const root = await testdir();
    const result = await loadManifest('bach.yaml', { cwd: root });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics[0]).toMatchObject({ code: 'manifest-missing', file: 'bach.yaml' });
  });

  it('refuses an oversized manifest without reading it', async () => {
    const root = await testdir({ 'bach.yaml': '' });
    await truncate(join(root, 'bach.yaml'), 6 * 1024 * 1024);
    const result = await loadManifest('.', { cwd: root });
    expect(codes(result)).toEqual(['manifest-too-large']);
    expect(result.source).toBeUndefined();
  });

  it('judges images by content, not by name', async () => {
    const root = await testdir({
      'bach.yaml': `version: 1\nshots:\n  - id: a\n    mode: multi-image-to-video\n    prompt: p\n    images: [real.txt, fake.png]\n`,
      'real.txt': png,
      'fake.png': 'not an image',
    });
    const result = await loadManifest('bach.yaml', { cwd: root });
    expect(!result.ok && result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'not-an-image shots[0].images[1]: "fake.png" is not an image (its content is not jpg, png, gif, bmp, webp, svg, ico or tiff)',
    ]);
  });

  it('refuses a file over 10 MiB without reading it', async () => {
    const root = await testdir({ 'bach.yaml': i2v('big.png'), 'big.png': png });
    await truncate(join(root, 'big.png'), 10 * 1024 * 1024 + 1);
    expect(codes(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['file-too-large']);
  });

  it('refuses a symbolic link that leads out of the folder, and follows one that stays inside', async () => {
    const outside = await testdir({ 'secret.png': png });
    const root = await testdir({ 'project/bach.yaml': i2v('out.png'), 'project/frames/a.png': png });
    await symlink(join(outside, 'secret.png'), join(root, 'project/out.png'));
    expect(codes(await loadManifest('project', { cwd: root }))).toEqual(['outside-root']);
    await writeFile(join(root, 'project/bach.yaml'), i2v('in.png'));
    await symlink(join(root, 'project/frames/a.png'), join(root, 'project/in.png'));
    expect(codes(await loadManifest('project', { cwd: root }))).toEqual([]);
  });

  it('refuses a file inside a linked folder that leads out', async () => {
    const outside = await testdir({ 'frames/a.png': png });
    const root = await testdir({ 'bach.yaml': i2v('linked/a.png') });
    await symlink(join(outside, 'frames'), join(root, 'linked'));
    expect(codes(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['outside-root']);
  });

  it('reports a dangling link as missing and a folder as not a file', async () => {
    const root = await testdir({ 'bach.yaml': i2v('gone.png') });
    await symlink(join(root, 'nowhere.png'), join(root, 'gone.png'));
    expect(codes(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['file-missing']);
    await mkdir(join(root, 'dir.png'));
    await writeFile(join(root, 'bach.yaml'), i2v('dir.png'));
    expect(codes(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['not-a-file']);
  });

  it('reads prompt files, and checks the output folder', async () => {
    const outside = await testdir();
    const root = await testdir({
      'bach.yaml': 'version: 1\noutput: renders\nshots:\n  - id: a\n    mode: text-to-video\n    prompt_file: p.md\n',
      'p.md': '\uFEFFA prompt from a file\n',
    });
    const result = await loadManifest('bach.yaml', { cwd: root });
    expect(result.ok && result.manifest.shots[0]?.prompt).toEqual({ kind: 'file', path: 'p.md' });
    await symlink(outside, join(root, 'renders'));
    expect(codes(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['output-outside-root']);
  });

  it('suggests the file that was probably meant for a missing one', async () => {
    const root = await testdir({ 'bach.yaml': i2v('img/harbour.png'), 'img/harbor.png': png, 'img/castle.png': png, '.hidden/harbour.png': png });
    const messages = (result: Awaited<ReturnType<typeof loadManifest>>) => (result.ok ? [] : result.diagnostics.map((d) => d.message));
    expect(messages(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['shots[0].image: file "img/harbour.png" does not exist; did you mean "img/harbor.png"?']);
    await writeFile(join(root, 'bach.yaml'), i2v('imgs/harbour.png'));
    expect(messages(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['shots[0].image: file "imgs/harbour.png" does not exist; did you mean "img/harbor.png"?']);
    await writeFile(join(root, 'bach.yaml'), i2v('img/lighthouse.png'));
    expect(messages(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['shots[0].image: file "img/lighthouse.png" does not exist']);
    // A hidden folder is offered only for a name typed with its dot.
    await writeFile(join(root, 'bach.yaml'), i2v('hidden/harbour.png'));
    expect(messages(await loadManifest('bach.yaml', { cwd: root }))).toEqual(['shots[0].image: file "hidden/harbour.png" does not exist']);
  });

  it('writes nothing', async () => {
    const root = await testdir({ 'bach.yaml': i2v('a.png'), 'a.png': png });
    await loadManifest('bach.yaml', { cwd: root });
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(root)).sort()).toEqual(['a.png', 'bach.yaml']);
  });
});
