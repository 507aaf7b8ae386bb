import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { testdir } from '../helpers/testdir.js';
import { waitUntil } from '../helpers/wait-until.js';

// A build that is no no-op starts its submitter process at once (src/submitter/spawn-submitter.ts),
// before it has planned, so that the process is ready when the first create is (issue 14 item 4).
// That process must be the one the build then uses — never a second one beside it — and a build
// that turns out to send nothing must not leave it behind. The witness is the process table: the
// submitter runs with the project folder as its working directory.

const STORY = `version: 1
defaults: { resolution: 720p }
shots:
  - { id: sky, mode: text-to-video, prompt: A sky, seed: 2 }
  - { id: sea, mode: text-to-video, prompt: A sea, seed: 3 }
`;

const hasProc = existsSync('/proc/self/cwd');

function env(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

/** Pids of submitter processes working in `root` (their cwd is the project folder). */
function submitterPids(root: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) !== root) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('submitter/child')) pids.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

describe.skipIf(!hasProc)('the submitter process a build starts early (needs /proc: Linux)', () => {
  it('is the one the build uses: one submitter process in all while it renders', async () => {
    const emulator = await useEmulator({ processingMs: 200 });
    const root = await testdir({ 'bach.yaml': STORY });
    const seen = new Set<number>();
    const sampler = setInterval(() => submitterPids(root).forEach((pid) => seen.add(pid)), 5);
    try {
      const result = await runCli(['--reporter', 'json'], { cwd: root, env: env(emulator) });
      expect(result.code, result.stderr).toBe(0);
      await waitUntil(() => submitterPids(root).length === 0, { describe: () => `still running: ${submitterPids(root).join(', ')}` });
    } finally {
      clearInterval(sampler);
    }
    expect(emulator.stats().submissions.total).toBe(2);
    expect(seen.size, `submitter pids seen: ${[...seen].join(', ')}`).toBe(1);
  });

  it('is let go when the build sends nothing (full path of a no-op, a restore from the cache): no process remains', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir({ 'bach.yaml': STORY });
    expect((await runCli([], { cwd: root, env: env(emulator) })).code).toBe(0);
    await waitUntil(() => submitterPids(root).length === 0);
    const submissions = emulator.stats().submissions.total;

    // `--reporter json` skips the snapshot's fast answer: the full build runs, plans nothing to send.
    const noop = startCli(['--reporter', 'json'], { cwd: root, env: env(emulator) });
    const seen = new Set<number>();
    const sampler = setInterval(() => submitterPids(root).forEach((pid) => seen.add(pid)), 5);
    try {
      expect((await noop.result).code).toBe(0);
      // A missing output comes back from .bach/cache: a build that works but sends nothing.
      rmSync(join(root, 'renders/sky.mp4'));
      const restore = await runCli(['--reporter', 'json'], { cwd: root, env: env(emulator) });
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain('"restored"');
      await waitUntil(() => submitterPids(root).length === 0, { describe: () => `still running: ${submitterPids(root).join(', ')}` });
    } finally {
      clearInterval(sampler);
    }
    expect(emulator.stats().submissions.total).toBe(submissions);
    // The early process was started (and then let go), not skipped: else this test would prove nothing.
    expect(seen.size).toBeGreaterThan(0);
  });
});
