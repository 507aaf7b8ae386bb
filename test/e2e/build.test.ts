import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMp4 } from '../../src/video/index.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir, type Tree } from '../helpers/testdir.js';

// The main job, end to end: the built CLI as a child process against a real emulator on 127.0.0.1,
// with the emulator's own counters as the witness of what was submitted and uploaded.

const STORY = `version: 1
defaults:
  resolution: 720p
subjects:
  hero:
    images: [refs/front.png, refs/side.png]
shots:
  - id: opening
    mode: text-to-video
    prompt: A sunset over the ocean
    seed: 42
  - id: wake
    mode: image-to-video
    image: frames/hero.png
    prompt: She opens her eyes
    duration: 2
    seed: 7
  - id: castle
    mode: multi-image-to-video
    images: [frames/castle.png]
    subject: hero
    prompt: The hero walks to the castle
    duration: 3
    aspect_ratio: "9:16"
`;

function storyTree(): Tree {
  return {
    'bach.yaml': STORY,
    'frames/hero.png': makePng(1),
    'frames/castle.png': makePng(2),
    'refs/front.png': makePng(3),
    'refs/side.png': makePng(4),
  };
}

function build(root: string, emulator: TestEmulator, ...args: string[]) {
  return runCli(['build', ...args], {
    cwd: root,
    env: { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' },
  });
}

describe('bach-render build against the emulator', () => {
  it('renders every shot, then does nothing, then only what changed — and undo costs nothing', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());

    const first = await build(root, emulator);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(emulator.stats().submissions.total).toBe(3);
    const expected: Record<string, [number, number, number]> = { opening: [1280, 720, 6], wake: [1280, 720, 2], castle: [720, 1280, 3] };
    for (const [id, [width, height, seconds]] of Object.entries(expected)) {
      const info = parseMp4(readFileSync(join(root, 'renders', `${id}.mp4`)));
      expect({ width: info.width, height: info.height, fps: info.fps, seconds: info.durationSeconds }).toEqual({ width, height, fps: 24, seconds });
    }
    const lock = readFileSync(join(root, 'bach.lock'), 'utf8');
    expect(Object.keys(JSON.parse(lock).shots)).toEqual(['castle', 'opening', 'wake']);

    const second = await build(root, emulator);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes');
    expect(emulator.stats().submissions.total).toBe(3);
    expect(emulator.stats().uploads.images).toBe(4);
    expect(readFileSync(join(root, 'bach.lock'), 'utf8')).toBe(lock);

    writeFileSync(join(root, 'bach.yaml'), STORY.replace('She opens her eyes', 'She smiles'));
    const edited = await build(root, emulator);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toMatch(/~ wake\s+prompt "She opens her eyes" → "She smiles"\s+seed 7\s+2 s/);
    expect(emulator.stats().submissions.total).toBe(4);
    expect(emulator.stats().tasks.at(-1)!.mode).toBe('image2video');
    const editedVideo = readFileSync(join(root, 'renders/wake.mp4'));

    writeFileSync(join(root, 'bach.yaml'), STORY);
    const reverted = await build(root, emulator);
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toContain('from cache, no cost');
    expect(emulator.stats().submissions.total).toBe(4);
    expect(readFileSync(join(root, 'renders/wake.mp4')).equals(editedVideo)).toBe(false);
    expect(readFileSync(join(root, 'bach.lock'), 'utf8')).toBe(lock);

    rmSync(join(root, 'renders/opening.mp4'));
    const restored = await build(root, emulator);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/< opening\s+renders\/opening.mp4 is missing \(restore from cache\)/);
    expect(emulator.stats().submissions.total).toBe(4);
    expect(statSync(join(root, 'renders/opening.mp4')).size).toBeGreaterThan(0);
  });

  it('uploads 350 distinct images in exactly two batches, an image shared by 3 shots once, and nothing on a second build', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const tree: Tree = { 'frames/shared.png': makePng(100_000) };
    const shots: string[] = [];
    for (let i = 0; i < 350; i++) tree[`frames/f${i}.png`] = makePng(i);
    // 50 multi-image shots of 7 distinct images each cover all 350; three shots share one more image.
    for (let s = 0; s < 50; s++) {
      const images = Array.from({ length: 7 }, (_, k) => `frames/f${s * 7 + k}.png`);
      shots.push(`  - { id: m${s}, mode: multi-image-to-video, prompt: p${s}, duration: 1, seed: ${s}, images: [${images.join(', ')}] }`);
    }
    for (let s = 0; s < 3; s++) shots.push(`  - { id: s${s}, mode: image-to-video, image: frames/shared.png, duration: 1, seed: ${s} }`);
    tree['bach.yaml'] = `version: 1\ndefaults: { resolution: 720p }\nshots:\n${shots.join('\n')}\n`;
    const root = await testdir(tree);

    const first = await build(root, emulator, '--concurrency', '16');
    expect(first.code, first.stderr + first.stdout.slice(-2000)).toBe(0);
    expect(emulator.stats().uploads).toMatchObject({ batches: 2, images: 351 });
    expect(emulator.stats().submissions.total).toBe(53);
    expect(readdirSync(join(root, 'renders')).filter((name) => name.endsWith('.mp4'))).toHaveLength(53);
    expect(existsSync(join(root, 'renders/index.html'))).toBe(true); // every build writes the review page

    const second = await build(root, emulator);
    expect(second.code).toBe(0);
    expect(emulator.stats().uploads).toMatchObject({ batches: 2, images: 351 });
    expect(emulator.stats().submissions.total).toBe(53);
  });
});

describe('spending control', () => {
  it('--max-seconds refuses a build over budget and submits nothing; within budget it builds', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir(storyTree());
    const refused = await build(root, emulator, '--max-seconds', '10');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Plan: 3 to render (11 s of video)');
    expect(refused.stderr).toContain('this build would generate 11 s of video, more than --max-seconds 10; nothing was submitted');
    expect(emulator.stats().requests.total).toBe(0);
    expect(existsSync(join(root, 'bach.lock'))).toBe(false);
    const allowed = await build(root, emulator, '--max-seconds', '11');
    expect(allowed.code).toBe(0);
    expect(emulator.stats().submissions.total).toBe(3);
  });

  it('--dry-run plans only: no credentials needed, no request, no file written', async () => {
    const root = await testdir(storyTree());
    const result = await runCli(['build', '--dry-run'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan: 3 to render (11 s of video); 4 images to upload.');
    expect(result.stdout).toContain('Dry run: nothing was uploaded or submitted; no output and no lockfile were written.');
    expect(readdirSync(root).sort()).toEqual(['.bach', 'bach.yaml', 'frames', 'refs']);
  });

  it('--only builds just the named shots, and --force renders an unchanged shot again', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir(storyTree());
    const only = await build(root, emulator, '--only', 'opening,wake');
    expect(only.code).toBe(0);
    expect(emulator.stats().submissions.byMode).toMatchObject({ text2video: 1, image2video: 1, multi2video: 0 });
    expect(Object.keys(JSON.parse(readFileSync(join(root, 'bach.lock'), 'utf8')).shots)).toEqual(['opening', 'wake']);

    const unknown = await build(root, emulator, '--only', 'openning');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--only openning: no shot with this id in the manifest (did you mean "opening"?)');

    await build(root, emulator);
    expect(emulator.stats().submissions.total).toBe(3);
    const before = readFileSync(join(root, 'renders/opening.mp4'));
    const forced = await build(root, emulator, '--force', 'opening');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/! opening\s+forced \(--force\)\s+seed 42\s+6 s/);
    expect(emulator.stats().submissions.total).toBe(4);
    expect(readFileSync(join(root, 'renders/opening.mp4')).equals(before)).toBe(false);
  });

  it('reports missing keys once the plan needs the API, before anything is uploaded or submitted', async () => {
    const root = await testdir(storyTree());
    for (const args of [['build'], ['build', '--only', 'opening'], ['build', '--reporter', 'json']]) {
      const result = await runCli(args, { cwd: root });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: BACH_ACCESS_KEY and BACH_SECRET_KEY are not set\n/);
      expect(existsSync(join(root, '.bach/journal'))).toBe(false);
      expect(existsSync(join(root, 'renders'))).toBe(false);
      expect(existsSync(join(root, 'bach.lock'))).toBe(false);
    }
  });
});
