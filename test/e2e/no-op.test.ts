import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir } from '../helpers/testdir.js';

// The no-op fast path (state/up-to-date.ts) answers "no changes" from file stamps without loading
// the planner. It must never hide a change: each kind of change below must reach the full plan.

const STORY = `version: 1
defaults: { resolution: 720p }
shots:
  - { id: wake, mode: image-to-video, image: frames/a.png, prompt: Eyes open, duration: 1, seed: 1 }
  - { id: sky, mode: text-to-video, prompt: A sky, seed: 2 }
`;

function env(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

async function settledFolder(emulator: TestEmulator): Promise<string> {
  const root = await testdir({ 'bach.yaml': STORY, 'frames/a.png': makePng(1) });
  expect((await runCli([], { cwd: root, env: env(emulator) })).code).toBe(0);
  // Age the files past the racy window so the stat cache (and with it the snapshot) trusts them.
  const past = new Date(Date.now() - 10_000);
  for (const file of ['bach.yaml', 'frames/a.png', 'bach.lock', 'renders/wake.mp4', 'renders/sky.mp4']) utimesSync(join(root, file), past, past);
  const noOp = await runCli([], { cwd: root, env: env(emulator) });
  expect(noOp.stdout).toContain('No changes: 2 shots up to date.');
  readFileSync(join(root, '.bach/up-to-date.json'));
  return root;
}

describe('the no-op fast path', () => {
  it('answers a repeated no-op build and plan from the snapshot, identically', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await settledFolder(emulator);
    const build = await runCli([], { cwd: root, env: env(emulator) });
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(build.stdout).toBe('bach.yaml\n= 2 unchanged: wake, sky\n\nNo changes: 2 shots up to date.\n');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toBe('= 2 unchanged: wake, sky\n\nNo changes: 2 shots up to date.\n');
    expect(emulator.stats().requests.total).toBeGreaterThan(0);
    const requests = emulator.stats().requests.total;
    await runCli([], { cwd: root, env: env(emulator) });
    expect(emulator.stats().requests.total).toBe(requests);
  });

  it('needs no keys: it sends nothing (issue 15, item 2)', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await settledFolder(emulator);
    const requests = emulator.stats().requests.total;
    const result = await runCli([], { cwd: root, env: { BACH_BASE_URL: emulator.url } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/No changes/);
    expect(emulator.stats().requests.total).toBe(requests);
  });

  it('a build that only restores from the cache needs no keys; one that must render says which are missing, sending nothing', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await settledFolder(emulator);
    const requests = emulator.stats().requests.total;
    rmSync(join(root, 'renders'), { recursive: true });
    const restored = await runCli(['--reporter', 'plain'], { cwd: root, env: { BACH_BASE_URL: emulator.url } });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/restored from cache/);
    writeFileSync(join(root, 'bach.yaml'), STORY.replace('A sky', 'A red sky'));
    const render = await runCli(['--reporter', 'plain'], { cwd: root, env: { BACH_BASE_URL: emulator.url } });
    expect(render.code).toBe(1);
    expect(render.stderr).toMatch(/^(Bach API: .*\n)?error: BACH_ACCESS_KEY and BACH_SECRET_KEY are not set\n/);
    expect(emulator.stats().requests.total).toBe(requests);
  });

  const changes: [string, (root: string) => void, RegExp][] = [
    ['an edited manifest', (root) => writeFileSync(join(root, 'bach.yaml'), STORY.replace('A sky', 'A red sky')), /~ sky\s+prompt "A sky" → "A red sky"/],
    ['an image changed in place (same size)', (root) => writeFileSync(join(root, 'frames/a.png'), makePng(2)), /~ wake\s+frames\/a.png changed/],
    ['a deleted output', (root) => rmSync(join(root, 'renders/sky.mp4')), /< sky\s+renders\/sky.mp4 is missing/],
    ['an altered output', (root) => writeFileSync(join(root, 'renders/sky.mp4'), 'not a video'), /< sky\s+renders\/sky.mp4 was altered/],
    [
      'a lockfile changed by a merge',
      (root) => {
        const lock = JSON.parse(readFileSync(join(root, 'bach.lock'), 'utf8'));
        lock.shots.sky.fingerprint = 'e'.repeat(64);
        writeFileSync(join(root, 'bach.lock'), `${JSON.stringify(lock, null, 2)}\n`);
      },
      /~ sky\s+the lockfile records another fingerprint for this request/,
    ],
  ];
  it.each(changes)('never hides %s', async (_name, change, expected) => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await settledFolder(emulator);
    change(root);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(plan.stdout).toMatch(expected);
    expect(plan.code).toBe(2);
  });

  it('is not used while a task is recorded in the journal', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await settledFolder(emulator);
    writeFileSync(join(root, '.bach/journal/x.json'), '{}');
    const build = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator) });
    expect(build.stderr).toMatch(/x\.json was ignored \(journalVersion is not 1\): not an entry bach-render wrote; left alone/);
  });
});
