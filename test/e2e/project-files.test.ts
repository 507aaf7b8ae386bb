import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// What a build does to the project folder around the manifest: the files it leaves, the folders it
// writes through, the neighbours it shares them with.

function env(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

describe('the project folder', () => {
  it('a lockfile temp file left by a kill is swept at the next build (and nothing else that looks like one)', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    expect((await runCli([], { cwd: root, env: env(emulator) })).code).toBe(0);
    const leftover = '.bach.lock.0123456789ab.tmp';
    const others = ['.notes.0123456789ab.tmp', '.bach.lock.tmp', '.bach.lock.0123456789AB.tmp', '.other.lock.0123456789ab.tmp'];
    for (const name of [leftover, ...others]) writeFileSync(join(root, name), '{');
    // A plan holds no folder lock: it leaves the folder alone.
    await runCli(['plan'], { cwd: root });
    expect(existsSync(join(root, leftover))).toBe(true);
    // A build with nothing to do still takes the lock, and sweeps.
    const build = await runCli([], { cwd: root, env: env(emulator) });
    expect(build.code, build.stderr).toBe(0);
    expect(existsSync(join(root, leftover))).toBe(false);
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp')).sort()).toEqual([...others].sort());
  });

  describe('links that leave the project are refused before anything is written', () => {
    async function outsideFolder(): Promise<string> {
      const outside = await testdir({ lock: 'precious\n', 'hashes.json': 'precious\n' });
      return outside;
    }
    const snapshot = (folder: string) => readdirSync(folder).sort().map((name) => `${name}:${readFileSync(join(folder, name), 'utf8')}`);

    it.each([
      ['.bach', (root: string, outside: string) => symlinkSync(outside, join(root, '.bach'))],
      ['the default output folder', (root: string, outside: string) => symlinkSync(outside, join(root, 'renders'))],
      ['bach.lock', (root: string, outside: string) => symlinkSync(join(outside, 'lock'), join(root, 'bach.lock'))],
      ['a folder above the output', (root: string, outside: string) => {
        writeFileSync(join(root, 'bach.yaml'), `output: out/videos\n${textStoryboard(1)}`);
        symlinkSync(outside, join(root, 'out'));
      }],
    ])('%s', async (_name, link) => {
      const emulator = await useEmulator({ processingMs: 10 });
      const outside = await outsideFolder();
      const root = await testdir({ 'bach.yaml': textStoryboard(1) });
      link(root, outside);
      const before = snapshot(outside);
      const refusal = /symbolic link leads out of the project|error\[output-outside-root\]/;
      for (const args of [['--reporter', 'plain'], ['--dry-run'], ['plan']]) {
        const result = await runCli(args, { cwd: root, env: env(emulator) });
        expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(refusal);
        expect(snapshot(outside)).toEqual(before);
      }
      // Watch keeps watching a project it cannot build yet (or exits when it cannot even start).
      const watch = startCli(['watch', '--reporter', 'plain'], { cwd: root, env: env(emulator) });
      let output = '';
      watch.child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      watch.child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      for (let waited = 0; !refusal.test(output) && watch.child.exitCode === null && waited < 15_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      watch.child.kill('SIGINT');
      await watch.result;
      expect(output).toMatch(refusal);
      expect(snapshot(outside)).toEqual(before);
      expect(emulator.stats().submissions.total).toBe(0);
    });

    it('a link that stays inside the project is fine', async () => {
      const emulator = await useEmulator({ processingMs: 10 });
      const root = await testdir({ 'bach.yaml': textStoryboard(1) });
      mkdirSync(join(root, 'state'));
      symlinkSync('state', join(root, '.bach'));
      const result = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator) });
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(join(root, 'state/cache'))).toBe(true);
    });
  });

  describe('two manifests in one folder', () => {
    it('with the same shot ids: a warning naming the shared videos, from build and plan', async () => {
      const emulator = await useEmulator({ processingMs: 10 });
      const root = await testdir({ 'bach.yaml': textStoryboard(2), 'other.yaml': textStoryboard(3, { resolution: '1080p' }) });
      const other = await runCli(['other.yaml', '--reporter', 'plain'], { cwd: root, env: env(emulator) });
      expect(other.code, other.stderr).toBe(0);
      const build = await runCli(['--reporter', 'plain'], { cwd: root, env: env(emulator) });
      expect(build.code, build.stderr).toBe(0);
      const warning =
        'warning: other.yaml (lockfile other.lock) has shots with the same ids as bach.yaml: shot-000, shot-001; they share renders/shot-000.mp4, renders/shot-001.mp4 and .bach/: each build overwrites the other\'s videos';
      expect(build.stderr).toContain(warning);
      const plan = await runCli(['plan'], { cwd: root });
      expect(plan.stderr).toContain(warning);
    });

    it('with their own output folders: a milder warning; with other ids, or another tool\'s lockfile: none', async () => {
      const emulator = await useEmulator({ processingMs: 10 });
      const root = await testdir({
        'bach.yaml': textStoryboard(1),
        'other.yaml': `output: other-renders\n${textStoryboard(1)}`,
        'third.yaml': textStoryboard(1, { prefix: 'third' }),
        'flake.lock': '{"nodes": {}, "version": 7}',
        'yarn.lock': '# yarn lockfile v1\n',
      });
      for (const name of ['other.yaml', 'third.yaml']) expect((await runCli([name], { cwd: root, env: env(emulator) })).code).toBe(0);
      const plan = await runCli(['plan'], { cwd: root });
      expect(plan.stderr.trim().split('\n')).toEqual([
        'warning: other.yaml (lockfile other.lock) has shots with the same ids as bach.yaml: shot-000; they share .bach/ (its journal and messages go by shot id). Keep each manifest in a folder of its own',
      ]);
    });

    it('bach.yml beside bach.yaml: they share the lockfile itself', async () => {
      const root = await testdir({ 'bach.yaml': textStoryboard(1), 'bach.yml': textStoryboard(1) });
      const plan = await runCli(['plan'], { cwd: root });
      expect(plan.stderr).toContain('warning: bach.yml is beside bach.yaml and uses the same lockfile (bach.lock), .bach/ and outputs');
    });
  });
});
