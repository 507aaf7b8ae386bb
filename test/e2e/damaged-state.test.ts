import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCacheKey } from '../../src/manifest/manifest-cache.js';
import { readManifestSchema } from '../../src/manifest/schema-file.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir } from '../helpers/testdir.js';
import { sha256Hex } from '../../src/util/hash.js';

// Everything in `.bach/` may be damaged (a full disk, a bad edit) or planted (a committed `.bach/`).
// Each file is read through a shape check: a damaged file is a cache miss or a stale record, never a
// crash with an internal-error stack, and never a build that fails the same way for ever.

const STORY = `version: 1
defaults: { resolution: 720p }
shots:
  - { id: wake, mode: image-to-video, image: frames/a.png, prompt: Eyes open, duration: 1, seed: 1 }
  - { id: sky, mode: text-to-video, prompt: A sky, seed: 2 }
`;

function env(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

async function builtFolder(emulator: TestEmulator): Promise<string> {
  const root = await testdir({ 'bach.yaml': STORY, 'frames/a.png': makePng(1) });
  const first = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator) });
  expect(first.code, first.stderr).toBe(0);
  return root;
}

function expectNoInternalError(result: { stderr: string }): void {
  expect(result.stderr).not.toMatch(/internal error|TypeError/);
}

describe('damaged .bach/ state', () => {
  it('a .bach/up-to-date.json holding null (or any wrong shape) crashes neither build nor plan', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await builtFolder(emulator);
    for (const text of ['null', '[]', '{"format":1,"version":"x","manifest":"y","files":{"a":null},"shots":[]}']) {
      writeFileSync(join(root, '.bach/up-to-date.json'), text);
      const build = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator) });
      expectNoInternalError(build);
      expect(build.code, build.stderr).toBe(0);
      writeFileSync(join(root, '.bach/up-to-date.json'), text);
      const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
      expectNoInternalError(plan);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes: 2 shots up to date.');
    }
  });

  it('an unreadable cache record is dropped with a warning and the shot planned as if uncached, once', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await builtFolder(emulator);
    const lock = JSON.parse(readFileSync(join(root, 'bach.lock'), 'utf8'));
    const fingerprint: string = lock.shots.sky.fingerprint;
    rmSync(join(root, 'renders/sky.mp4'));
    writeFileSync(join(root, `.bach/cache/${fingerprint}.json`), '{"cacheVersion": 1, "fingerp');

    const plan = await runCli(['plan'], { cwd: root });
    expect(plan.stderr).toMatch(/warning: the cache entry of sky in \.bach\/cache cannot be read \(damaged\); planned as if not cached/);
    expect(plan.stdout).toMatch(/! sky\s+renders\/sky\.mp4 is missing \(not in cache: renders again\)\s+seed \d+\s+6 s/);

    const build = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator) });
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).not.toMatch(/disappeared/);
    expect(readdirSync(join(root, 'renders')).filter((name) => name.endsWith('.mp4')).sort()).toEqual(['sky.mp4', 'wake.mp4']);
    // The new result replaced the damaged entry: the next build has nothing to do and warns no more.
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  it.each([
    ['uploads.json recording a non-URL for the image', (root: string, emulator: TestEmulator) =>
      writeFileSync(join(root, '.bach/uploads.json'), JSON.stringify({ format: 1, origins: { [new URL(emulator.url).origin]: { [sha256Hex(makePng(1))]: 'file:///etc/passwd' } } }))],
    ['an in-doubt log with a planted entry', (root: string) => writeFileSync(join(root, '.bach/in-doubt.json'), JSON.stringify(['\u001b[2Jplanted', 42]))],
    // pid 1 always runs (kill answers EPERM): a planted registration made every build wait 120 s.
    ['a submitter registry naming pid 1 and -1', (root: string) => {
      mkdirSync(join(root, '.bach/submitters'), { recursive: true });
      writeFileSync(join(root, '.bach/submitters/1'), '1\n');
      writeFileSync(join(root, '.bach/submitters/-1'), '-1\n');
    }],
  ])('%s neither crashes, prints nor stalls a build', async (_name, damage) => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir({ 'bach.yaml': STORY, 'frames/a.png': makePng(1) });
    mkdirSync(join(root, '.bach'));
    damage(root, emulator);
    const build = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator), timeoutMs: 30_000 });
    expectNoInternalError(build);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).not.toMatch(/waiting for an interrupted build/);
    expect(build.stdout + build.stderr).not.toContain('planted');
  });

  it('a planted manifest cache of the wrong shape is a miss, not a crash', async () => {
    const root = await testdir({ 'bach.yaml': STORY, 'frames/a.png': makePng(1) });
    const key = createCacheKey(STORY, readManifestSchema().sha256);
    mkdirSync(join(root, '.bach'));
    writeFileSync(join(root, '.bach/manifest-cache.json'), JSON.stringify({ format: 'bach-manifest-cache/1', key, value: { version: 1, shots: [null, 7] }, shots: [[4, 5], [5, 5]] }));
    const plan = await runCli(['plan', '--json'], { cwd: root });
    expectNoInternalError(plan);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).shots.map((s: { id: string }) => s.id)).toEqual(['wake', 'sky']);
  });
});
