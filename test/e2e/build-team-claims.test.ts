import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { radosgwAvailable, useRadosgw, type Radosgw } from '../helpers/radosgw.js';
import { startPassThroughProxy, type PassThroughProxy } from '../helpers/pass-through-proxy.js';
import { makeOwner, ok, openCache } from '../helpers/remote.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// The team cache between machines that build at the same moment (issue 11, items 5, 4, 3 and 10 b–e),
// the built CLI against the emulator, each on a shared folder and on the real S3 server (radosgw):
//   (b) two builds of the same 20 shots started together pay for 20 shots in total, and both end with
//       all 20 videos, byte-identical, and the same bach.lock;
//   (c) a claim left by a build that was killed is taken over once it goes stale, and rendered once;
//   (d) a tampered object in the team cache is refused, named, and not placed;
//   (e) the team cache gone mid-build (the share renamed away; radosgw's address cut off by the
//       pass-through proxy in front of it): the build finishes locally, and the next build pushes what is missing.

const SIGNING_KEY = 'build-team-claims-signing-key-0123456789';
const api = (emulator: TestEmulator) => ({
  BACH_BASE_URL: emulator.url,
  BACH_ACCESS_KEY: emulator.accessKey,
  BACH_SECRET_KEY: emulator.secretKey,
  BACH_POLL_INTERVAL: '0.02',
  BACH_REMOTE_SIGNING_KEY: SIGNING_KEY,
  BACH_REMOTE_CLAIM_TIMEOUT: '2',
});

function videos(root: string): Record<string, string> {
  const dir = join(root, 'renders');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).filter((name) => name.endsWith('.mp4')).sort().map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
}

async function sameMoment(remote: string, env: Record<string, string>) {
  const emulator = await useEmulator({ processingMs: 300 });
  const a = await testdir({ 'bach.yaml': textStoryboard(20) });
  const b = await testdir({ 'bach.yaml': textStoryboard(20) });
  // No claim goes stale here (a 2 s timeout could, on a loaded machine, while its owner is alive and paying).
  const options = (cwd: string) => ({ cwd, env: { ...api(emulator), BACH_REMOTE_CLAIM_TIMEOUT: '60', ...env }, timeoutMs: 120_000 });
  const [ra, rb] = await Promise.all([
    runCli(['build', '--remote', remote, '--reporter', 'plain'], options(a)),
    runCli(['build', '--remote', remote, '--reporter', 'plain'], options(b)),
  ]);
  expect(ra.code, ra.stderr + ra.stdout).toBe(0);
  expect(rb.code, rb.stderr + rb.stdout).toBe(0);
  expect(emulator.stats().submissions.total, ra.stderr + ra.stdout + rb.stderr + rb.stdout).toBe(20); // each shot paid for once, between the two
  expect(Object.keys(videos(a))).toHaveLength(20);
  expect(videos(b)).toEqual(videos(a));
  expect(readFileSync(join(b, 'bach.lock'), 'utf8')).toBe(readFileSync(join(a, 'bach.lock'), 'utf8'));
  // Both converge: another build on either side changes nothing.
  for (const root of [a, b]) {
    const lock = readFileSync(join(root, 'bach.lock'), 'utf8');
    const again = await runCli(['build', '--remote', remote, '--reporter', 'plain'], options(root));
    expect(again.code).toBe(0);
    expect(readFileSync(join(root, 'bach.lock'), 'utf8')).toBe(lock);
  }
  expect(emulator.stats().submissions.total).toBe(20);
}

async function killedClaim(remote: string, env: Record<string, string>) {
  const emulator = await useEmulator({ processingMs: 20 });
  const root = await testdir({ 'bach.yaml': textStoryboard(1) });
  const planned = await runCli(['plan', '--json'], { cwd: root, env: api(emulator) });
  const fingerprint = (JSON.parse(planned.stdout) as { shots: { fingerprint: string }[] }).shots[0]!.fingerprint;
  // A build that claimed the shot and was killed: its claim is never renewed, completed or released.
  const killed = await openCache(remote, { env: { ...env, BACH_REMOTE_SIGNING_KEY: SIGNING_KEY }, stateDir: await testdir(), owner: makeOwner('killed'), claimPolicy: { staleAfterMs: 2_000, renewEveryMs: 500 } });
  expect(ok(await killed.claim(fingerprint)).kind).toBe('won');
  const built = await runCli(['build', '--remote', remote, '--reporter', 'plain'], { cwd: root, env: { ...api(emulator), ...env }, timeoutMs: 60_000 });
  expect(built.code, built.stderr + built.stdout).toBe(0);
  expect(built.stdout).toMatch(/another machine is rendering 1 shot \(shot-000\)/);
  expect(emulator.stats().submissions.total).toBe(1); // taken over once stale, rendered once
  expect(Object.keys(videos(root))).toEqual(['shot-000.mp4']);
  expect(built.stdout).toMatch(/1 new result pushed/);
}

/** A build killed after the API accepted its task: the machine that takes its claim over follows that task, paying nothing. */
async function killedAfterPaying(remote: string, env: Record<string, string>) {
  const emulator = await useEmulator({ processingMs: 20 });
  // The task the killed build paid for: made by a build without the team cache, in a folder of its own.
  const elsewhere = await testdir({ 'bach.yaml': textStoryboard(1) });
  expect((await runCli(['build', '--no-remote'], { cwd: elsewhere, env: api(emulator) })).code).toBe(0);
  const lock = JSON.parse(readFileSync(join(elsewhere, 'bach.lock'), 'utf8')) as { shots: Record<string, { fingerprint: string; taskId: string }> };
  const { taskId, fingerprint } = lock.shots['shot-000']!;
  const root = await testdir({ 'bach.yaml': textStoryboard(1) });
  const killed = await openCache(remote, { env: { ...env, BACH_REMOTE_SIGNING_KEY: SIGNING_KEY }, stateDir: await testdir(), owner: makeOwner('killed'), claimPolicy: { staleAfterMs: 2_000, renewEveryMs: 500 } });
  const won = ok(await killed.claim(fingerprint));
  if (won.kind !== 'won') throw new Error(`expected to win the claim, got ${won.kind}`);
  expect(ok(await won.claim.recordTask({ taskId, apiOrigin: new URL(emulator.url).origin }))).toBe('recorded');
  const built = await runCli(['build', '--remote', remote, '--reporter', 'plain'], { cwd: root, env: { ...api(emulator), ...env }, timeoutMs: 60_000 });
  expect(built.code, built.stderr + built.stdout).toBe(0);
  expect(built.stdout).toContain(`following its task ${taskId} instead of paying again`);
  expect(emulator.stats().submissions.total).toBe(1); // only the killed build's task, never a second one
  expect(videos(root)).toEqual(videos(elsewhere));
}

/** A team cache for (d) and (e): where it is, what a build needs to reach it, and what the test does behind its back. */
interface TestStore {
  remote: string;
  env: Record<string, string>;
  /** Overwrites it behind the store's write-once rule, as an attacker with write access could. */
  tamper(sha256: string, bytes: Buffer): Promise<void>;
  /** How many claims builds have created so far. */
  claimsCreated(): number;
  /** The store vanishes for the builds (network share unmounted, server gone), then comes back. */
  goAway(): Promise<void>;
  comeBack(): Promise<void>;
}

async function folderStore(): Promise<TestStore> {
  const share = join(await testdir(), 'share');
  mkdirSync(share);
  const video = (sha256: string) => join(share, 'v1', 'videos', `${sha256}.mp4`);
  return {
    remote: share,
    env: {},
    async tamper(sha256, bytes) {
      rmSync(video(sha256)); // written once: the store's objects are read-only links
      writeFileSync(video(sha256), bytes);
    },
    claimsCreated: () => (existsSync(join(share, 'v1', 'claims')) ? readdirSync(join(share, 'v1', 'claims')).length : 0),
    goAway: async () => renameSync(share, `${share}.gone`),
    comeBack: async () => renameSync(`${share}.gone`, share),
  };
}

/** radosgw behind a pass-through proxy, so that it can vanish for the builds while it keeps running. */
async function s3Store(rgw: Radosgw): Promise<TestStore> {
  const bucket = await rgw.createBucket();
  const endpoint = new URL(rgw.env().AWS_ENDPOINT_URL_S3!);
  let proxy = await startPassThroughProxy(endpoint);
  let stopped: PassThroughProxy | null = null;
  const env: Record<string, string> = { ...rgw.env(), AWS_ENDPOINT_URL_S3: proxy.url };
  const videoPath = (sha256: string) => `/${bucket}/film/v1/videos/${sha256}.mp4`;
  return {
    remote: `s3://${bucket}/film`,
    env,
    async tamper(sha256, bytes) {
      const put = await rgw.request('PUT', videoPath(sha256), { body: bytes });
      expect(put.status).toBe(200);
    },
    claimsCreated: () => [...(stopped?.requests() ?? []), ...proxy.requests()].filter((line) => /^PUT \/[^/]+\/film\/v1\/claims\/[0-9a-f]{64}\/0000000001\.json/.test(line)).length,
    async goAway() {
      stopped = proxy;
      await proxy.stop();
    },
    async comeBack() {
      // The same address again: the builds' settings name it.
      proxy = await startPassThroughProxy(endpoint, Number(new URL(env.AWS_ENDPOINT_URL_S3!).port));
    },
  };
}

async function tamperedVideo(store: TestStore) {
  const emulator = await useEmulator({ processingMs: 20 });
  const env = { ...api(emulator), ...store.env };
  const a = await testdir({ 'bach.yaml': textStoryboard(2) });
  expect((await runCli(['build', '--remote', store.remote], { cwd: a, env })).code).toBe(0);
  const lock = JSON.parse(readFileSync(join(a, 'bach.lock'), 'utf8')) as { shots: Record<string, { output: { sha256: string } }> };
  const { sha256 } = lock.shots['shot-000']!.output;
  const bytes = readFileSync(join(a, 'renders', 'shot-000.mp4'));
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await store.tamper(sha256, bytes);
  const b = await testdir();
  for (const file of ['bach.yaml', 'bach.lock']) writeFileSync(join(b, file), readFileSync(join(a, file)));
  const built = await runCli(['build', '--remote', store.remote, '--reporter', 'plain'], { cwd: b, env });
  expect(built.code, built.stderr + built.stdout).toBe(0);
  expect(built.stderr).toMatch(new RegExp(`warning: team cache .*refused.*${sha256.slice(0, 12)}`));
  expect(built.stdout).toMatch(/1 result fetched, free/);
  // The refused one is downloaded from the task bach.lock names (free), never placed from the team cache.
  expect(built.stdout).toMatch(/1 result downloaded from its earlier task/);
  expect(emulator.stats().submissions.total).toBe(2);
  for (const [name, video] of Object.entries(videos(b))) expect(Buffer.from(video, 'base64').equals(bytes), name).toBe(false);
  expect(videos(b)).toEqual(videos(a));
}

async function goneMidBuild(store: TestStore) {
  const emulator = await useEmulator({ processingMs: 400 });
  const env = { ...api(emulator), ...store.env };
  const root = await testdir({ 'bach.yaml': textStoryboard(3) });
  const { child, result } = startCli(['build', '--remote', store.remote, '--reporter', 'plain'], { cwd: root, env });
  // Once the build has claimed its shots (so it is past every lookup), the team cache goes away.
  for (let i = 0; i < 400 && store.claimsCreated() < 3; i++) await new Promise((r) => setTimeout(r, 25));
  expect(store.claimsCreated()).toBe(3);
  await store.goAway();
  const built = await result;
  expect(child.exitCode).toBe(0);
  expect(built.code, built.stderr + built.stdout).toBe(0);
  expect(Object.keys(videos(root))).toHaveLength(3);
  expect(built.stderr).toMatch(/warning: .*the next build pushes them/);
  // Failures are one line each (claims, pushes), not one per object.
  expect(built.stderr.match(/^warning:/gm)!.length, built.stderr).toBeLessThanOrEqual(2);
  expect(JSON.parse(readFileSync(join(root, '.bach', 'remote-pending.json'), 'utf8')).fingerprints).toHaveLength(3);
  await store.comeBack();
  const next = await runCli(['build', '--remote', store.remote, '--reporter', 'plain'], { cwd: root, env });
  expect(next.code, next.stderr).toBe(0);
  expect(next.stdout).toMatch(/3 new results pushed/);
  expect(existsSync(join(root, '.bach', 'remote-pending.json'))).toBe(false);
  expect(emulator.stats().submissions.total).toBe(3);
  // A clone now gets all three for free.
  const clone = await testdir();
  for (const file of ['bach.yaml', 'bach.lock']) writeFileSync(join(clone, file), readFileSync(join(root, file)));
  const free = await runCli(['build', '--remote', store.remote, '--reporter', 'plain'], { cwd: clone, env });
  expect(free.stdout).toMatch(/3 results fetched, free/);
  expect(emulator.stats().submissions.total).toBe(3);
}

describe('builds sharing a folder team cache', () => {
  it('(b) two builds of the same 20 shots at the same moment pay for 20 in total and both end with all 20', async () => {
    const share = join(await testdir(), 'share');
    mkdirSync(share);
    await sameMoment(share, {});
  });

  it('(c) a claim left by a killed build is taken over after the timeout and the shot is rendered once', async () => {
    const share = join(await testdir(), 'share');
    mkdirSync(share);
    await killedClaim(share, {});
  });

  it('(c) a claim whose owner was killed after the API accepted its task: the task is followed, not paid for again', async () => {
    const share = join(await testdir(), 'share');
    mkdirSync(share);
    await killedAfterPaying(share, {});
  });

  it('(d) a tampered video is refused with its name and not placed; the shot comes from its earlier task instead', async () => {
    await tamperedVideo(await folderStore());
  });

  it('(e) the team cache gone mid-build: the build finishes locally, the next build pushes what is missing', async () => {
    await goneMidBuild(await folderStore());
  });
});

describe.runIf(radosgwAvailable())('builds sharing an S3 team cache (radosgw)', () => {
  let rgw: Radosgw;
  beforeAll(async () => {
    rgw = await useRadosgw();
  }, 180_000);

  it('(b) two builds of the same 20 shots at the same moment pay for 20 in total and both end with all 20', async () => {
    await sameMoment(`s3://${await rgw.createBucket()}/film`, rgw.env());
  });

  it('(c) a claim left by a killed build is taken over after the timeout and the shot is rendered once', async () => {
    await killedClaim(`s3://${await rgw.createBucket()}/film`, rgw.env());
  });

  it('(c) a claim whose owner was killed after the API accepted its task: the task is followed, not paid for again', async () => {
    await killedAfterPaying(`s3://${await rgw.createBucket()}/film`, rgw.env());
  });

  it('(d) a tampered video is refused with its name and not placed; the shot comes from its earlier task instead', async () => {
    await tamperedVideo(await s3Store(rgw));
  });

  it('(e) the team cache gone mid-build: the build finishes locally, the next build pushes what is missing', async () => {
    await goneMidBuild(await s3Store(rgw));
  });
});
