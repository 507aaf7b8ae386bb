import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LockEntry } from '../../../src/lock/types.js';
import { pullLockResults, type PullShotResult } from '../../../src/render/pull-lock-results.js';
import { pushLockResults } from '../../../src/render/push-lock-results.js';
import { cacheVideoPath, readCacheRecord, writeCacheRecord } from '../../../src/state/result-cache.js';
import { sha256Hex } from '../../../src/util/hash.js';
import { createMp4 } from '../../../src/video/index.js';
import { FakeApi } from '../../helpers/executor.js';
import { makeResultFacts, ok, openCache } from '../../helpers/remote.js';
import { testdir } from '../../helpers/testdir.js';

// pull and push in-process (issue 11 item 7): the real folder team cache and local cache on a temp
// folder, a scripted fake API. What each locked shot comes to, in the order pull tries (output, local
// cache, team cache, the API by task id), and that the API is opened only for what the team cache lacks.

const SIGNING = { BACH_REMOTE_SIGNING_KEY: 'pull-push-integration-key-0123456789' };

/** A locked shot whose video is `bytes` (what the API's task `taskId` serves, when FakeApi has it). */
function lockedShot(label: string, taskId: string, bytes: Uint8Array) {
  const facts = makeResultFacts(label, { taskId });
  const entry: LockEntry = { ...facts, output: { path: `renders/${label}.mp4`, size: bytes.length, sha256: sha256Hex(bytes) } };
  return { shotId: label, outputPath: `renders/${label}.mp4`, entry, bytes };
}

/** The video FakeApi serves for a task. */
function apiVideo(taskId: string): Uint8Array {
  return createMp4({ width: 16, height: 16, fps: 24, durationSeconds: 1, tag: taskId });
}

async function putInLocalCache(cacheDir: string, shot: ReturnType<typeof lockedShot>) {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheVideoPath(cacheDir, shot.entry.fingerprint), shot.bytes);
  const { output, ...identity } = shot.entry;
  await writeCacheRecord(cacheDir, { cacheVersion: 1, ...identity, size: output.size, sha256: output.sha256 });
}

async function setUp() {
  const dir = await testdir({ 'share/.keep': '' });
  const share = join(dir, 'share');
  const source = join(dir, 'source-cache');
  const team = await openCache(share, { stateDir: join(dir, 'state'), env: SIGNING });
  return { dir, share, source, team, root: join(dir, 'clone'), cacheDir: join(dir, 'clone', '.bach', 'cache') };
}

function byShot(results: PullShotResult[]) {
  return Object.fromEntries(results.map((result) => [result.shotId, result.kind === 'missing' ? `missing: ${result.why}` : result.kind]));
}

describe('pullLockResults', () => {
  it('takes each shot from the first place that has it, opens the API only for what the team cache lacks, and never creates a task', async () => {
    const { source, team, root, cacheDir } = await setUp();
    const inTeam = lockedShot('in-team', 't-team', apiVideo('t-team'));
    const fromApi = lockedShot('from-api', 't-api', apiVideo('t-api'));
    const failed = lockedShot('failed', 't-failed', apiVideo('t-failed'));
    const expired = lockedShot('expired', 't-expired', apiVideo('t-expired'));
    const unknown = lockedShot('unknown', 't-unknown', apiVideo('t-unknown'));
    const otherTake = lockedShot('other-take', 't-other', new Uint8Array([1, 2, 3]));
    await putInLocalCache(source, inTeam);
    ok(await team.push({ ...inTeam.entry, videoPath: cacheVideoPath(source, inTeam.entry.fingerprint) }));
    const api = new FakeApi();
    api.addTask('t-team', 'succeeded');
    api.addTask('t-api', 'succeeded');
    api.addTask('t-failed', 'failed');
    api.addTask('t-expired', 'expired');
    api.addTask('t-other', 'succeeded'); // serves another video than the lock names
    let opened = 0;
    const events: string[] = [];
    const results = await pullLockResults({
      root,
      cacheDir,
      targets: [inTeam, fromApi, failed, expired, unknown, otherTake],
      team,
      api: async () => {
        opened += 1;
        return api;
      },
      concurrency: 2,
      onShot: ({ done, total }) => events.push(`${done}/${total}`),
    });
    expect(byShot(results)).toEqual({
      'in-team': 'team',
      'from-api': 'api',
      failed: 'missing: not in the team cache; the API no longer serves task t-failed (TASK_FAILED)',
      expired: expect.stringMatching(/^missing: not in the team cache; task t-expired's video could not be downloaded \(.*410/),
      unknown: expect.stringMatching(/^missing: not in the team cache; the API did not answer for task t-unknown/),
      'other-take': expect.stringMatching(/^missing: not in the team cache; task t-other's video is not the one bach\.lock records .*; not placed$/),
    });
    expect(api.creates).toBe(0);
    expect(opened).toBe(5);
    expect(events).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    for (const shot of [inTeam, fromApi]) {
      expect(readFileSync(join(root, shot.outputPath))).toEqual(Buffer.from(shot.bytes));
      expect((await readCacheRecord(cacheDir, shot.entry.fingerprint))?.sha256).toBe(shot.entry.output.sha256);
    }
    for (const shot of [failed, expired, unknown, otherTake]) {
      expect(existsSync(join(root, shot.outputPath))).toBe(false);
      expect(existsSync(cacheVideoPath(cacheDir, shot.entry.fingerprint))).toBe(false);
    }

    // Again: everything placed is present; the API is not opened when nothing needs it.
    let openedAgain = 0;
    const again = await pullLockResults({ root, cacheDir, targets: [inTeam, fromApi], team, api: async () => (openedAgain++, api) });
    expect(byShot(again)).toEqual({ 'in-team': 'present', 'from-api': 'present' });
    expect(openedAgain).toBe(0);
  });

  it('restores from the local cache, and without keys (the API factory gives null) names why a shot is missing', async () => {
    const { team, root, cacheDir } = await setUp();
    const cached = lockedShot('cached', 't-1', apiVideo('t-1'));
    const nowhere = lockedShot('nowhere', 't-2', apiVideo('t-2'));
    await putInLocalCache(cacheDir, cached);
    const results = await pullLockResults({ root, cacheDir, targets: [cached, nowhere], team, api: async () => null });
    expect(byShot(results)).toEqual({ cached: 'local', nowhere: 'missing: not in the team cache; no API keys to ask for its task' });
    expect(readFileSync(join(root, cached.outputPath))).toEqual(Buffer.from(cached.bytes));
  });
});

describe('pushLockResults', () => {
  it('pushes what the remote lacks, from the local cache only when it matches the lock; reports what is there and another take', async () => {
    const { team, cacheDir, source } = await setUp();
    const a = lockedShot('a', 't-a', apiVideo('t-a'));
    const b = lockedShot('b', 't-b', apiVideo('t-b'));
    const notCached = lockedShot('not-cached', 't-c', apiVideo('t-c'));
    const mismatch = lockedShot('mismatch', 't-d', apiVideo('t-d'));
    const taken = lockedShot('taken', 't-e', apiVideo('t-e'));
    for (const shot of [a, b, taken]) await putInLocalCache(cacheDir, shot);
    await putInLocalCache(cacheDir, { ...mismatch, entry: { ...mismatch.entry, output: { ...mismatch.entry.output, sha256: sha256Hex('another') } } });
    // Someone else pushed another take of `taken` first.
    const otherTake = { ...taken, bytes: apiVideo('t-e other') };
    await putInLocalCache(source, otherTake);
    ok(await team.push({ ...taken.entry, videoPath: cacheVideoPath(source, taken.entry.fingerprint) }));

    const first = await pushLockResults({ cacheDir, entries: [a, b, notCached, mismatch, taken], team });
    if (!first.ok) throw first.error;
    expect(Object.fromEntries(first.results.map((r) => [r.shotId, 'why' in r ? `${r.kind}: ${r.why}` : r.kind]))).toEqual({
      a: 'pushed',
      b: 'pushed',
      'not-cached': 'no-local: not in the local cache (.bach/cache)',
      mismatch: 'no-local: the local cache holds another video for it than bach.lock names',
      taken: 'present',
    });
    const second = await pushLockResults({ cacheDir, entries: [a, b], team });
    expect(second.ok && second.results.map((r) => r.kind)).toEqual(['present', 'present']);
  });

  it('a read-only team cache: the first push fails with its line and the rest are not tried', async () => {
    const { dir, share, cacheDir } = await setUp();
    const readOnly = await openCache(share, { stateDir: join(dir, 'ro'), env: SIGNING, readOnly: true });
    const a = lockedShot('a', 't-a', apiVideo('t-a'));
    const b = lockedShot('b', 't-b', apiVideo('t-b'));
    for (const shot of [a, b]) await putInLocalCache(cacheDir, shot);
    const outcome = await pushLockResults({ cacheDir, entries: [a, b], team: readOnly, concurrency: 1 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toBe(`team cache ${share}: read-only here (--remote-read-only); nothing is pushed or claimed`);
  });
});
