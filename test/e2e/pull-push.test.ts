import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { radosgwAvailable, useRadosgw, type Radosgw } from '../helpers/radosgw.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// `bach-render pull` and `push`, end to end (issue 11 items 7, 8, 10f): the built CLI against the
// emulator and a team cache — a shared folder, and the real S3 server (radosgw, started once by the
// test harness; in CI these run, never skipped). Machine A renders and pushes; machine B is "a fresh
// clone": a folder holding only what git would hold (bach.yaml, bach.lock), and pulls every video
// with 0 submissions — from the team cache, and from the API by task id where the cache lacks one.

const SIGNING_KEY = 'team-pull-test-signing-key-0123456789';

function apiEnv(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

/** Machine A: renders `count` shots against the emulator (no team cache) and returns its folder. */
async function renderOnA(emulator: TestEmulator, count: number): Promise<string> {
  const a = await testdir({ 'bach.yaml': textStoryboard(count) });
  const built = await runCli(['build'], { cwd: a, env: apiEnv(emulator) });
  expect(built.code, built.stderr).toBe(0);
  return a;
}

/** Machine B: what git would hold of A (bach.yaml, bach.lock), in a new folder. */
async function cloneOf(a: string): Promise<string> {
  const b = await testdir();
  for (const file of ['bach.yaml', 'bach.lock']) copyFileSync(join(a, file), join(b, file));
  return b;
}

function videos(root: string): Record<string, string> {
  const dir = join(root, 'renders');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.mp4'))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name)).toString('base64')]),
  );
}

/** The env of a machine allowed to write (CI is set by the test CLI: without the key it would be read-only). */
function writer(extra: Record<string, string> = {}) {
  return { BACH_REMOTE_SIGNING_KEY: SIGNING_KEY, ...extra };
}

async function sharedFolder(): Promise<string> {
  const dir = join(await testdir(), 'share');
  mkdirSync(dir);
  return dir;
}

describe('pull and push with a shared folder', () => {
  it('push after a local-only render, then pull in a fresh clone: every video, byte-identical, 0 submissions, no keys needed', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 4);
    const share = await sharedFolder();
    const pushed = await runCli(['push', '--remote', share], { cwd: a, env: writer() });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain('Pushed 4 of 4 locked results');
    expect(pushed.stderr).toContain('push 4/4');
    const again = await runCli(['push', '--remote', share], { cwd: a, env: writer() });
    expect(again.stdout).toContain('Pushed 0 of 4 locked results to');
    expect(again.stdout).toContain('4 already there');

    const submitted = emulator.stats().submissions.total;
    const b = await cloneOf(a);
    const lockBefore = readFileSync(join(b, 'bach.lock'), 'utf8');
    const pulled = await runCli(['pull', '--remote', share], { cwd: b });
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    expect(pulled.stdout).toContain('4 from the team cache, 0 from the API (earlier tasks, free), 0 already present, 0 missing. Nothing was submitted.');
    expect(videos(b)).toEqual(videos(a));
    expect(readdirSync(join(b, '.bach', 'cache')).filter((name) => name.endsWith('.mp4'))).toHaveLength(4);
    expect(readFileSync(join(b, 'bach.lock'), 'utf8')).toBe(lockBefore);
    expect(emulator.stats().submissions.total).toBe(submitted);

    // A build in the clone now has nothing to pay for.
    const plan = await runCli(['plan'], { cwd: b });
    expect(plan.stdout).not.toMatch(/^\s*[+~!]/m);

    // From a folder inside the project: the nearest bach.yaml, as every command finds it.
    mkdirSync(join(b, 'notes'));
    const twice = await runCli(['pull', '--remote', share], { cwd: join(b, 'notes') });
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain('0 from the team cache, 0 from the API (earlier tasks, free), 4 already present, 0 missing');
  });

  it('where the team cache lacks a result, pull fetches the earlier task from the API for free; without keys it says which are missing and why', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 3);
    const share = await sharedFolder();
    expect((await runCli(['push', '--remote', share], { cwd: a, env: writer() })).code).toBe(0);
    // Two more shots rendered on A after the push: in bach.lock, not in the team cache.
    writeFileSync(join(a, 'bach.yaml'), textStoryboard(5));
    expect((await runCli(['build'], { cwd: a, env: apiEnv(emulator) })).code).toBe(0);
    const submitted = emulator.stats().submissions.total;
    expect(submitted).toBe(5);

    const keyless = await cloneOf(a);
    const withoutKeys = await runCli(['pull', '--remote', share], { cwd: keyless, env: { BACH_BASE_URL: emulator.url } });
    expect(withoutKeys.code).toBe(1);
    expect(withoutKeys.stdout).toContain('3 from the team cache, 0 from the API (earlier tasks, free), 0 already present, 2 missing');
    expect(withoutKeys.stdout).toMatch(/missing shot-003: not in the team cache; no API keys to ask for its task/);
    expect(withoutKeys.stdout).toContain('set BACH_ACCESS_KEY and BACH_SECRET_KEY');

    const b = await cloneOf(a);
    const pulled = await runCli(['pull', '--remote', share], { cwd: b, env: apiEnv(emulator) });
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    expect(pulled.stdout).toContain('3 from the team cache, 2 from the API (earlier tasks, free), 0 already present, 0 missing');
    expect(videos(b)).toEqual(videos(a));
    expect(emulator.stats().submissions.total).toBe(submitted);

    // Without any team cache, the API alone.
    const c = await cloneOf(a);
    const apiOnly = await runCli(['pull', '--no-remote'], { cwd: c, env: apiEnv(emulator) });
    expect(apiOnly.code, apiOnly.stderr).toBe(0);
    expect(apiOnly.stdout).toContain('0 from the team cache, 5 from the API (earlier tasks, free)');
    expect(videos(c)).toEqual(videos(a));
    expect(emulator.stats().submissions.total).toBe(submitted);
  });

  it('a tampered video in the team cache is refused with its object name, never placed; a hand-altered output is kept aside', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 2);
    const share = await sharedFolder();
    expect((await runCli(['push', '--remote', share], { cwd: a, env: writer() })).code).toBe(0);
    const lock = JSON.parse(readFileSync(join(a, 'bach.lock'), 'utf8')) as { shots: Record<string, { output: { sha256: string } }> };
    const sha = lock.shots['shot-001']!.output.sha256;
    const object = join(share, 'v1', 'videos', `${sha}.mp4`);
    rmSync(object);
    writeFileSync(object, 'not the video');

    const b = await cloneOf(a);
    mkdirSync(join(b, 'renders'));
    writeFileSync(join(b, 'renders', 'shot-000.mp4'), 'my own edit');
    const pulled = await runCli(['pull', '--remote', share], { cwd: b });
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toContain(`warning: team cache ${share}: refused: the video's sha256 is`);
    expect(pulled.stderr).toContain(`(object v1/videos/${sha}.mp4)`);
    expect(pulled.stdout).toMatch(/missing shot-001: refused from the team cache \(corrupt\); no API keys/);
    expect(existsSync(join(b, 'renders', 'shot-001.mp4'))).toBe(false);
    expect(readdirSync(join(b, '.bach', 'cache')).filter((name) => name.endsWith('.mp4'))).toHaveLength(1); // shot-000's only
    // shot-000 was pulled; the person's file moved aside first.
    expect(videos(b)['shot-000.mp4']).toBe(videos(a)['shot-000.mp4']);
    const kept = readdirSync(join(b, 'renders')).filter((name) => name.startsWith('shot-000.altered-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(b, 'renders', kept[0]!), 'utf8')).toBe('my own edit');
  });

  it('push needs a writable team cache: none, --no-remote, read-only in CI without the signing key — each a clear error', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 1);
    const share = await sharedFolder();
    const none = await runCli(['push'], { cwd: a });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('push: no team cache is configured');
    const readOnly = await runCli(['push', '--remote', share], { cwd: a });
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain(`push: team cache ${share} is read-only here (a CI job without BACH_REMOTE_SIGNING_KEY`);
    const flag = await runCli(['push', '--remote', share, '--remote-read-only'], { cwd: a, env: writer() });
    expect(flag.stderr).toContain('is read-only here (--remote-read-only)');
    expect(readdirSync(share)).toEqual([]);
    // A missing shared folder: one line naming it; push fails, pull goes on (and says what is missing).
    const gone = join(share, 'not-mounted');
    const pushGone = await runCli(['push', '--remote', gone], { cwd: a, env: writer() });
    expect(pushGone.code).toBe(1);
    expect(pushGone.stderr).toMatch(new RegExp(`^error: team cache ${gone.replace(/[/.]/g, '\\$&')}: .+; .+$`, 'm'));
    const b = await cloneOf(a);
    const pullGone = await runCli(['pull', '--remote', gone], { cwd: b });
    expect(pullGone.code).toBe(1);
    expect(pullGone.stderr.split('\n').filter((line) => line.startsWith('warning: team cache'))).toHaveLength(1);
  });
});

describe('pull takes the folder as a build does', () => {
  it('another bach-render working in the folder: pull exits 1 naming it, and writes nothing', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 1);
    const share = await sharedFolder();
    expect((await runCli(['push', '--remote', share], { cwd: a, env: writer() })).code).toBe(0);
    const b = await cloneOf(a);
    mkdirSync(join(b, '.bach'));
    // This test process is a live Node process: the lock is held.
    writeFileSync(join(b, '.bach', 'lock'), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), command: 'build' }));
    const busy = await runCli(['pull', '--remote', share], { cwd: b });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`another bach-render (pid ${process.pid}`);
    expect(existsSync(join(b, 'renders'))).toBe(false);
  });
});

describe.runIf(radosgwAvailable())('pull and push with S3 (radosgw)', () => {
  let rgw: Radosgw;
  beforeAll(async () => {
    rgw = await useRadosgw();
  }, 180_000);

  it('push after a local-only render, pull in a fresh clone: every video, 0 submissions; a remote lacking one: from the API', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 3);
    const bucket = await rgw.createBucket();
    const url = `s3://${bucket}/film`;
    const pushed = await runCli(['push', '--remote', url], { cwd: a, env: { ...rgw.env(), ...writer() } });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(`Pushed 3 of 3 locked results to ${url} at ${rgw.endpoint}`);
    writeFileSync(join(a, 'bach.yaml'), textStoryboard(4));
    expect((await runCli(['build'], { cwd: a, env: apiEnv(emulator) })).code).toBe(0);
    const submitted = emulator.stats().submissions.total;

    const b = await cloneOf(a);
    // Read-only: what a pull-request job gets (CI without the signing key).
    const pulled = await runCli(['pull', '--remote', url], { cwd: b, env: { ...rgw.env(), ...apiEnv(emulator) } });
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    expect(pulled.stderr).toContain('(read-only)');
    expect(pulled.stdout).toContain('3 from the team cache, 1 from the API (earlier tasks, free), 0 already present, 0 missing');
    expect(videos(b)).toEqual(videos(a));
    expect(emulator.stats().submissions.total).toBe(submitted);

    // push from B (it now holds all 4 in .bach/cache): only the one the remote lacks.
    const fromB = await runCli(['push', '--remote', url], { cwd: b, env: { ...rgw.env(), ...writer() } });
    expect(fromB.stdout).toContain('Pushed 1 of 4 locked results');
    expect(fromB.stdout).toContain('3 already there');

    // A video altered in the bucket behind the tool's back: refused with its object's name, not placed.
    const lock = JSON.parse(readFileSync(join(a, 'bach.lock'), 'utf8')) as { shots: Record<string, { output: { sha256: string } }> };
    const sha = lock.shots['shot-000']!.output.sha256;
    expect((await rgw.request('PUT', `/${bucket}/film/v1/videos/${sha}.mp4`, { body: 'tampered' })).status).toBe(200);
    const c = await cloneOf(a);
    const refused = await runCli(['pull', '--remote', url], { cwd: c, env: rgw.env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`warning: team cache ${url} at ${rgw.endpoint}: refused: the video's sha256 is`);
    expect(refused.stderr).toContain(`(object v1/videos/${sha}.mp4); it was not placed; remove the object from the remote`);
    expect(refused.stdout).toContain('3 from the team cache, 0 from the API (earlier tasks, free), 0 already present, 1 missing');
    expect(existsSync(join(c, 'renders', 'shot-000.mp4'))).toBe(false);
  });

  it('failures are one line naming the remote and what to do, never a secret: wrong secret, missing bucket, unreachable, write denied; --require-remote makes them exit 1', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await renderOnA(emulator, 1);
    const bucket = await rgw.createBucket();
    const b = await cloneOf(a);
    const wrongSecret = 'Wrong0Secret0Wrong0Secret0Wrong0Secret00';
    const lineOf = (stderr: string) => stderr.split('\n').filter((line) => line.includes('team cache s3://'));

    const wrong = await runCli(['pull', '--remote', `s3://${bucket}`], { cwd: b, env: { ...rgw.env(), AWS_SECRET_ACCESS_KEY: wrongSecret } });
    expect(lineOf(wrong.stderr)).toHaveLength(1);
    expect(lineOf(wrong.stderr)[0]).toMatch(new RegExp(`^warning: team cache s3://${bucket} at ${rgw.endpoint.replace(/[.]/g, '\\.')}: .*AWS_SECRET_ACCESS_KEY`));
    expect(wrong.stderr + wrong.stdout).not.toContain(wrongSecret);
    expect(wrong.stdout).toContain('1 missing');

    const missingBucket = await runCli(['pull', '--remote', 's3://no-such-bucket-pull/p', '--require-remote'], { cwd: b, env: rgw.env() });
    expect(missingBucket.code).toBe(1);
    expect(lineOf(missingBucket.stderr)).toEqual([`error: team cache s3://no-such-bucket-pull/p at ${rgw.endpoint}: the bucket "no-such-bucket-pull" does not exist; create it or fix the remote URL`]);

    const unreachable = await runCli(['pull', '--remote', `s3://${bucket}`], { cwd: b, env: { ...rgw.env(), AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' } });
    expect(lineOf(unreachable.stderr)).toHaveLength(1);
    expect(lineOf(unreachable.stderr)[0]).toContain('cannot reach the server');

    await rgw.allowReaderToRead(bucket);
    const denied = await runCli(['push', '--remote', `s3://${bucket}`], { cwd: a, env: { ...rgw.env(rgw.reader), ...writer() } });
    expect(denied.code).toBe(1);
    expect(lineOf(denied.stderr)).toHaveLength(1);
    expect(lineOf(denied.stderr)[0]).toMatch(/^error: team cache .*no permission to write.*read-only mode/);
    expect(denied.stderr + denied.stdout).not.toContain(rgw.reader.secretKey);
  });
});
