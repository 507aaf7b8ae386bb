import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { radosgwAvailable, useRadosgw, type Radosgw } from '../helpers/radosgw.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// `bach-render build` with a team cache (issue 11, items 3, 10a, 11 — the part wired so far): machine
// A renders and its build pushes; machine B (a folder with only what git holds) builds for free,
// byte-identical, and its bach.lock does not change; a shot B adds that A rendered meanwhile (not in
// B's lock) is fetched by fingerprint. Against a shared folder and the real S3 server (radosgw).

const SIGNING_KEY = 'build-team-cache-signing-key-0123456789';
const api = (emulator: TestEmulator) => ({ BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02', BACH_REMOTE_SIGNING_KEY: SIGNING_KEY });

function videos(root: string): Record<string, string> {
  const dir = join(root, 'renders');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).filter((name) => name.endsWith('.mp4')).sort().map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
}

async function twoMachines(remote: string, env: Record<string, string>) {
  const emulator = await useEmulator({ processingMs: 20 });
  const a = await testdir({ 'bach.yaml': textStoryboard(20) });
  const built = await runCli(['build', '--remote', remote, '--reporter', 'plain'], { cwd: a, env: { ...api(emulator), ...env } });
  expect(built.code, built.stderr + built.stdout).toBe(0);
  expect(built.stdout).toMatch(/Team cache .*: 20 new results pushed/);
  expect(emulator.stats().submissions.total).toBe(20);

  const b = await testdir();
  for (const file of ['bach.yaml', 'bach.lock']) copyFileSync(join(a, file), join(b, file));
  const lockBefore = readFileSync(join(b, 'bach.lock'), 'utf8');
  // The plan says where each shot will come from: the team cache, free (item 6); --no-remote: the API
  // still serves A's tasks, so from those earlier tasks, free; without keys either: paid renders.
  const planned = await runCli(['plan', '--remote', remote], { cwd: b, env: { ...api(emulator), ...env } });
  expect(planned.code, planned.stderr).toBe(0);
  expect(planned.stdout.match(/^@ shot-\d{3} .*\(from the team cache: free\)/gm)).toHaveLength(20);
  expect(planned.stdout).toMatch(/Plan: nothing to render \(no cost\), 20 from the team cache/);
  const json = JSON.parse((await runCli(['plan', '--json', '--remote', remote], { cwd: b, env: { ...api(emulator), ...env } })).stdout) as { shots: { source: string; seconds: number }[]; totals: { fromTeam: number; secondsToGenerate: number } };
  expect(new Set(json.shots.map((shot) => shot.source))).toEqual(new Set(['team']));
  expect(json.totals).toMatchObject({ fromTeam: 20, secondsToGenerate: 0 });
  expect((await runCli(['plan', '--no-remote'], { cwd: b, env: api(emulator) })).stdout).toMatch(/Plan: nothing to render \(no cost\), 20 from earlier tasks/);
  expect((await runCli(['plan', '--no-remote'], { cwd: b, env: { BACH_BASE_URL: emulator.url } })).stdout).toMatch(/Plan: 20 to render/);
  const free = await runCli(['build', '--remote', remote, '--reporter', 'plain'], { cwd: b, env: { ...api(emulator), ...env } });
  expect(free.code, free.stderr + free.stdout).toBe(0);
  expect(free.stdout).toMatch(/Team cache .*: 20 results fetched, free/);
  expect(emulator.stats().submissions.total).toBe(20); // B paid for nothing
  expect(videos(b)).toEqual(videos(a));
  expect(readFileSync(join(b, 'bach.lock'), 'utf8')).toBe(lockBefore); // the lock converges: no diff
  // A no-op build never touches the team cache: even one that cannot be reached, required, is not asked.
  const noOp = await runCli(['build', '--remote', join(b, 'no-such-share'), '--require-remote'], { cwd: b, env: { ...api(emulator), ...env } });
  expect(noOp.code, noOp.stderr).toBe(0);
  expect(noOp.stdout).toMatch(/No changes: 20 shots up to date/);
  // A builds again: nothing changes on either side (item 11: git diff bach.lock is empty on both).
  const lockA = readFileSync(join(a, 'bach.lock'), 'utf8');
  expect((await runCli(['build', '--remote', remote], { cwd: a, env: { ...api(emulator), ...env } })).code).toBe(0);
  expect(readFileSync(join(a, 'bach.lock'), 'utf8')).toBe(lockA);

  // A adds a shot and renders it; B adds the same shot before pulling A's lock: fetched by fingerprint.
  writeFileSync(join(a, 'bach.yaml'), textStoryboard(21));
  expect((await runCli(['build', '--remote', remote], { cwd: a, env: { ...api(emulator), ...env } })).code).toBe(0);
  writeFileSync(join(b, 'bach.yaml'), textStoryboard(21));
  const added = await runCli(['build', '--remote', remote, '--reporter', 'plain'], { cwd: b, env: { ...api(emulator), ...env } });
  expect(added.code, added.stderr).toBe(0);
  expect(added.stdout).toMatch(/Team cache .*: 1 result fetched, free/);
  expect(emulator.stats().submissions.total).toBe(21);
  expect(videos(b)).toEqual(videos(a));
  // --no-remote: the team cache is left alone (a new shot is paid for locally).
  writeFileSync(join(b, 'bach.yaml'), textStoryboard(22));
  const local = await runCli(['build', '--no-remote', '--reporter', 'plain'], { cwd: b, env: api(emulator) });
  expect(local.stdout).not.toContain('Team cache');
  expect(emulator.stats().submissions.total).toBe(22);
}

describe('build with a shared-folder team cache', () => {
  it('a second machine builds 20 shots for free, byte-identical, without changing bach.lock', async () => {
    const share = join(await testdir(), 'share');
    mkdirSync(share);
    await twoMachines(share, {});
  });

  it('a team cache that cannot be reached is one warning, and the build goes on; --require-remote stops it before paying', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    const missing = join(root, 'no-such-share');
    const warned = await runCli(['build', '--remote', missing, '--reporter', 'plain'], { cwd: root, env: api(emulator) });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/warning: .*no-such-share/);
    writeFileSync(join(root, 'bach.yaml'), textStoryboard(2));
    const required = await runCli(['build', '--remote', missing, '--require-remote', '--reporter', 'plain'], { cwd: root, env: api(emulator) });
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/error: .*no-such-share.*--require-remote: nothing was paid for/);
    expect(emulator.stats().submissions.total).toBe(1);
  });
});

describe.runIf(radosgwAvailable())('build with an S3 team cache (radosgw)', () => {
  let rgw: Radosgw;
  beforeAll(async () => {
    rgw = await useRadosgw();
  }, 180_000);

  it('a second machine builds 20 shots for free, byte-identical, without changing bach.lock', async () => {
    const bucket = await rgw.createBucket();
    await twoMachines(`s3://${bucket}/film`, rgw.env());
  });
});
