import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

// A project built by bach-render 0.1.0 (fingerprint scheme 1) — its bach.lock, renders and .bach/
// exactly as that release wrote them (test/fixtures/release-0.1.0/README.md says how). Every later
// release must plan it as "no changes": a fingerprint that moves, a lockfile or cache record no
// longer read, or a seed derived differently would make people pay again for videos they have.
// This test stays forever; a release that must change the scheme migrates the fixture's state in
// place and this test proves that nothing is paid again.

const FIXTURE = fileURLToPath(new URL('../fixtures/release-0.1.0', import.meta.url));

async function fixtureCopy(): Promise<string> {
  const root = await testdir();
  cpSync(FIXTURE, root, { recursive: true, filter: (source) => !source.endsWith('README.md') });
  return root;
}

describe('a project built by release 0.1.0', () => {
  it('plans as no changes, and a no-op build leaves bach.lock byte-identical', async () => {
    const root = await fixtureCopy();
    const lock = readFileSync(join(root, 'bach.lock'), 'utf8');
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain('No changes: 4 shots up to date.');
    const build = await runCli(['build', '--emulator', '--reporter', 'plain'], { cwd: root });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain('No changes: 4 shots up to date.');
    expect(readFileSync(join(root, 'bach.lock'), 'utf8')).toBe(lock);
  });

  it('restores a deleted output from the cache that release wrote, at no cost', async () => {
    const root = await fixtureCopy();
    const lock = readFileSync(join(root, 'bach.lock'), 'utf8');
    const video = readFileSync(join(root, 'renders/castle.mp4'));
    rmSync(join(root, 'renders/castle.mp4'));
    const plan = await runCli(['plan', '--json'], { cwd: root });
    const json = JSON.parse(plan.stdout);
    expect(json.totals).toMatchObject({ restore: 1, unchanged: 3, secondsToGenerate: 0, imagesToUpload: 0 });
    const build = await runCli(['build', '--emulator', '--reporter', 'json'], { cwd: root });
    expect(build.code, build.stderr).toBe(0);
    const summary = build.stdout.trim().split('\n').map((line) => JSON.parse(line)).find((event) => event.type === 'run:summary');
    expect(summary.report).toMatchObject({ restored: ['castle'], rendered: [], secondsGenerated: 0 });
    expect(readFileSync(join(root, 'renders/castle.mp4')).equals(video)).toBe(true);
    expect(readFileSync(join(root, 'bach.lock'), 'utf8')).toBe(lock);
  });
});
