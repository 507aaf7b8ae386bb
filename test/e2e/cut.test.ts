import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMp4 } from '../../src/video/index.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// `bach-render review` and `bach-render cut` as a user runs them, on a copy of examples/: the film is
// 10 s of the three shots in order; a second cut does nothing; an edit makes cut refuse (the stale
// shot named with its reason) until --allow-stale.

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

function cli(root: string, emulator: TestEmulator, ...args: string[]) {
  return runCli(args, {
    cwd: root,
    env: { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' },
  });
}

describe('bach-render review and cut', () => {
  it('writes the page and the film of the examples, incrementally', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const parent = await testdir({});
    const root = join(parent, 'examples');
    cpSync(EXAMPLES, root, { recursive: true, filter: (source) => !/[\\/](renders|\.bach)$|bach\.lock$/.test(source) });

    const notYet = await cli(root, emulator, 'cut');
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toContain('cut: 3 shots are not up to date:\n  opening: missing (new shot)');

    expect((await cli(root, emulator, 'build')).code).toBe(0);
    // The build wrote the page already (session/after-build.ts): review finds it as it would draw it.
    rmSync(join(root, 'renders/index.html'));
    const reviewed = await cli(root, emulator, 'review');
    expect(reviewed.stdout).toBe('Wrote renders/index.html — 3 shots (3 up to date); a build would pay for 0 s.\n');
    expect((await cli(root, emulator, 'review')).stdout).toMatch(/^Unchanged: renders\/index.html/);

    const cut = await cli(root, emulator, 'cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(cut.stdout).toBe('Cut renders/examples.mp4: 3 shots, 10.00 s, 240 frames, 1280×720, without re-encoding.\nTimeline (OpenTimelineIO): renders/examples.otio\n');
    const film = parseMp4(readFileSync(join(root, 'renders/examples.mp4')));
    expect({ seconds: film.durationSeconds, frames: film.frameCount, width: film.width, height: film.height }).toEqual({ seconds: 10, frames: 240, width: 1280, height: 720 });
    const otio = JSON.parse(readFileSync(join(root, 'renders/examples.otio'), 'utf8'));
    expect(otio.tracks.children[0].children.map((clip: { name: string }) => clip.name)).toEqual(['opening', 'hero-wakes', 'castle']);
    expect(otio.tracks.children[0].children[2].metadata.bach_render.prompt).toContain('The hero in golden armor');

    // The review page written before the cut now links the film.
    expect(readFileSync(join(root, 'renders/index.html'), 'utf8')).toContain('<a href="examples.otio">OpenTimelineIO</a>');
    const again = await cli(root, emulator, 'cut');
    expect(again.stdout).toBe('Film up to date: renders/examples.mp4 (3 shots); no shot changed since the last cut.\n');

    writeFileSync(join(root, 'bach.yaml'), readFileSync(join(root, 'bach.yaml'), 'utf8').replace('She opens her eyes', 'She smiles'));
    const refused = await cli(root, emulator, 'cut');
    expect([refused.code, refused.stderr]).toEqual([1, 'cut: 1 shot is not up to date:\n  hero-wakes: stale (prompt "She opens her eyes and…" → "She smiles and…")\nBuild first (`bach-render`), or cut the videos that exist with --allow-stale.\n']);
    // The videos are the ones already in the film: nothing to cut.
    expect((await cli(root, emulator, 'cut', '--allow-stale')).stdout).toMatch(/^Film up to date/);
    rmSync(join(root, 'renders/castle.mp4'));
    const stale = await cli(root, emulator, 'cut', '--allow-stale');
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain('Cut renders/examples.mp4: 2 shots, 8.00 s, 192 frames');
    expect(stale.stdout).toContain('Left out (no video yet):\n  castle: missing (renders/castle.mp4 is missing)');
    expect(stale.stdout).toContain('Stale shots in this cut:\n  hero-wakes: stale (prompt "She opens her eyes and…" → "She smiles and…")');
    expect((await cli(root, emulator, 'cut', 'one', 'two')).code).toBe(1);
  });

  it('reports a manifest that does not load, and writes nothing', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const root = await testdir({ 'bach.yaml': 'version: 1\nname: opening\nshots:\n  - id: opening\n    mode: text-to-video\n    prompt: x\n' });
    for (const command of ['review', 'cut']) {
      const result = await cli(root, emulator, command);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('bach.yaml:2:7: error[conflict]: name: "opening" is also the id of shots[0]');
    }
    expect(existsSync(join(root, 'renders'))).toBe(false);
  });
});

describe('review and cut without PATH', () => {
  it('find the nearest bach.yaml from a subfolder, as every command does', async () => {
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    mkdirSync(join(root, 'notes'));
    const review = await runCli(['review'], { cwd: join(root, 'notes') });
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toContain('Wrote ../renders/index.html');
    const cut = await runCli(['cut'], { cwd: join(root, 'notes') });
    expect(cut.stderr).toContain('cut: 1 shot is not up to date');
  });
});
