import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFolderBackend } from '../../../src/remote/folder-backend.js';
import { resultKey, videoKey } from '../../../src/remote/keys.js';
import { createFakeClock } from '../../helpers/fake-clock.js';
import { failure, makeResultFacts, ok, openCache, writeVideo } from '../../helpers/remote.js';
import { testdir } from '../../helpers/testdir.js';

// A team cache in a plain folder (a network share): the same layout and guarantees as S3 — written
// once, verified before anything is placed, signed records when a key is configured.

const KEY = 'k'.repeat(32);

async function setup(env: Record<string, string> = {}) {
  const dir = await testdir({ 'share/README': 'team cache' });
  const share = join(dir, 'share');
  const cache = await openCache(share, { stateDir: join(dir, '.bach'), env, clock: createFakeClock() });
  return { dir, share, cache };
}

describe('team cache in a folder', () => {
  it('stores a result as v1/videos/<sha256>.mp4 plus v1/results/<fingerprint>.json and pulls it back', async () => {
    const { dir, share, cache } = await setup();
    const facts = makeResultFacts('a');
    const video = await writeVideo(dir, 'a.mp4', 256 * 1024 + 3);
    expect(ok(await cache.push({ ...facts, videoPath: video.path, sha256: video.sha256 }))).toMatchObject({ kind: 'pushed', videoUploaded: true });
    expect(await readdir(join(share, 'v1', 'videos'))).toEqual([`${video.sha256}.mp4`]);
    expect(await readdir(join(share, 'v1', 'results'))).toEqual([`${facts.fingerprint}.json`]);
    const record = JSON.parse(await readFile(join(share, resultKey(facts.fingerprint)), 'utf8'));
    expect(record).toEqual({
      format: 'bach-render/result',
      version: 1,
      ...facts,
      sha256: video.sha256,
      size: video.size,
      tool: expect.stringMatching(/^bach-render \d/),
      createdAt: '2026-01-01T00:00:00.000Z',
    });

    const destination = join(dir, '.bach', 'cache', `${facts.fingerprint}.mp4`);
    expect(ok(await cache.pull({ fingerprint: facts.fingerprint, destination }))).toMatchObject({ kind: 'pulled', sha256: video.sha256, record: { taskId: facts.taskId } });
    expect((await readFile(destination)).equals(await readFile(video.path))).toBe(true);
    // No temp file is left beside the destination or in the share.
    expect(await readdir(join(dir, '.bach', 'cache'))).toEqual([`${facts.fingerprint}.mp4`]);
    expect((await readdir(join(share, 'v1', 'videos'))).length).toBe(1);
  });

  it('refuses a push whose file does not match its cache record, writing nothing', async () => {
    const { dir, share, cache } = await setup();
    const video = await writeVideo(dir, 'a.mp4', 100);
    const error = failure(await cache.push({ ...makeResultFacts('a'), videoPath: video.path, sha256: 'f'.repeat(64) }));
    expect(error.kind).toBe('local');
    expect(existsSync(join(share, 'v1'))).toBe(false);
  });

  it('never overwrites: the first take written for a fingerprint stays', async () => {
    const { dir, cache } = await setup();
    const facts = makeResultFacts('b');
    const [first, second] = [await writeVideo(dir, '1.mp4', 50), await writeVideo(dir, '2.mp4', 50)];
    ok(await cache.push({ ...facts, videoPath: first.path }));
    expect(ok(await cache.push({ ...facts, videoPath: second.path }))).toMatchObject({ kind: 'conflict', record: { sha256: first.sha256 } });
    expect(ok(await cache.push({ ...facts, videoPath: first.path }))).toMatchObject({ kind: 'already-present' });
  });

  it('refuses a tampered video by the lock and by the record, naming the object, placing nothing', async () => {
    const { dir, share, cache } = await setup();
    const facts = makeResultFacts('c');
    const video = await writeVideo(dir, 'c.mp4', 4096);
    ok(await cache.push({ ...facts, videoPath: video.path }));
    await writeFile(join(share, videoKey(video.sha256)), Buffer.alloc(4096, 1));
    const destination = join(dir, 'out', 'c.mp4');
    for (const lock of [{ expectedSha256: video.sha256, expectedSize: 4096 }, {}]) {
      const error = failure(await cache.pull({ fingerprint: facts.fingerprint, destination, ...lock }));
      expect(error).toMatchObject({ kind: 'corrupt', key: videoKey(video.sha256) });
      expect(error.message).toContain(`object ${videoKey(video.sha256)}`);
      expect(existsSync(destination)).toBe(false);
      expect(await readdir(join(dir, 'out'))).toEqual([]);
    }
    // A video longer than expected is cut off as soon as it is too long.
    await writeFile(join(share, videoKey(video.sha256)), Buffer.alloc(5000, 1));
    expect(failure(await cache.pull({ fingerprint: facts.fingerprint, destination })).detail).toContain('larger than the 4096 bytes expected');
  });

  it('with a signing key: signs what it pushes, refuses unsigned or altered records, trusts bach.lock over the record', async () => {
    const { dir, share, cache: unsignedCache } = await setup();
    const signer = await openCache(share, { stateDir: join(dir, 'signer'), env: { BACH_REMOTE_SIGNING_KEY: KEY } });
    expect(signer.signed).toBe(true);
    const [signedFacts, unsignedFacts] = [makeResultFacts('signed'), makeResultFacts('unsigned')];
    const video = await writeVideo(dir, 'v.mp4', 300);
    ok(await signer.push({ ...signedFacts, videoPath: video.path }));
    ok(await unsignedCache.push({ ...unsignedFacts, videoPath: video.path }));
    const record = JSON.parse(await readFile(join(share, resultKey(signedFacts.fingerprint)), 'utf8'));
    expect(record.signature).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(KEY);

    const pull = (fingerprint: string, extra = {}) => signer.pull({ fingerprint, destination: join(dir, 'pulled', `${fingerprint}.mp4`), ...extra });
    expect(ok(await pull(signedFacts.fingerprint)).kind).toBe('pulled');
    expect(failure(await pull(unsignedFacts.fingerprint)).detail).toContain('not signed');
    // The lock in git is the anchor: with its sha256, the record (signed or not) is not needed.
    expect(ok(await pull(unsignedFacts.fingerprint, { expectedSha256: video.sha256 })).kind).toBe('pulled');

    record.taskId = 'task-of-someone-else';
    await writeFile(join(share, resultKey(signedFacts.fingerprint)), JSON.stringify(record));
    const altered = failure(await pull(signedFacts.fingerprint));
    expect(altered).toMatchObject({ kind: 'corrupt', key: resultKey(signedFacts.fingerprint) });
    expect(altered.detail).toContain('signature does not verify');
    // A push that meets a record it would refuse says so instead of calling it present.
    expect(ok(await signer.push({ ...unsignedFacts, videoPath: video.path }))).toMatchObject({ kind: 'conflict', problem: expect.stringContaining('not signed') });
  });

  it('looks everything up with one directory listing', async () => {
    const { dir, cache } = await setup();
    const video = await writeVideo(dir, 'v.mp4', 10);
    const stored = Array.from({ length: 30 }, (_, i) => makeResultFacts(`s${i}`));
    for (const facts of stored) ok(await cache.push({ ...facts, videoPath: video.path }));
    const absent = Array.from({ length: 5 }, (_, i) => makeResultFacts(`a${i}`).fingerprint);
    const few = ok(await cache.lookup([stored[0]!.fingerprint, absent[0]!]));
    expect(few).toEqual({ present: new Set([stored[0]!.fingerprint]), requests: 1, method: 'list', refused: 0 });
    expect(ok(await cache.lookup([]))).toEqual({ present: new Set(), requests: 0, method: 'none', refused: 0 });
  });

  it('pages a LIST lookup by skipping to the next wanted fingerprint, and hands sparse rests to HEADs', async () => {
    const { dir, cache } = await setup();
    const video = await writeVideo(dir, 'v.mp4', 10);
    const stored = Array.from({ length: 40 }, (_, i) => makeResultFacts(`p${i}`)).sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
    for (const facts of stored) ok(await cache.push({ ...facts, videoPath: video.path }));
    const s = stored.map((facts) => facts.fingerprint);
    const paged = { pageSize: 10, concurrency: 1, headThreshold: 0, minAnsweredPerPage: 1 };
    // Every stored one wanted: four pages of ten.
    expect(ok(await cache.lookup(s, paged))).toEqual({ present: new Set(s), requests: 4, method: 'list', refused: 0 });
    // s0 | s25 s26 | s39: the second page starts at s25, the third at s39 (s10..s24 are never listed).
    const skipping = [s[0]!, s[25]!, s[26]!, s[39]!];
    expect(ok(await cache.lookup(skipping, paged))).toEqual({ present: new Set(skipping), requests: 3, method: 'list', refused: 0 });
    // A page answering fewer than 3 wanted ones: the rest is asked with HEADs.
    const sparse = [s[0]!, s[20]!, s[30]!];
    expect(ok(await cache.lookup(sparse, { ...paged, minAnsweredPerPage: 3 }))).toEqual({ present: new Set(sparse), requests: 3, method: 'list+head', refused: 0 });
  });

  it('stops when the caller says so, placing nothing', async () => {
    const { dir, cache } = await setup();
    const facts = makeResultFacts('stopped');
    const video = await writeVideo(dir, 'v.mp4', 1000);
    ok(await cache.push({ ...facts, videoPath: video.path }));
    const destination = join(dir, 'stopped.mp4');
    const error = failure(await cache.pull({ fingerprint: facts.fingerprint, expectedSha256: video.sha256, destination }, { signal: AbortSignal.abort() }));
    expect(error.kind).toBe('aborted');
    expect(existsSync(destination)).toBe(false);
    // An abort is the caller's, not the remote's: the remote stays in service.
    expect(cache.disabledBy()).toBeUndefined();
    expect(ok(await cache.pull({ fingerprint: facts.fingerprint, destination })).kind).toBe('pulled');
  });

  it('refuses a folder that does not exist, and never creates it', async () => {
    const dir = await testdir();
    const cache = await openCache(join(dir, 'not-mounted'), { stateDir: join(dir, '.bach') });
    const error = failure(await cache.lookup([makeResultFacts('x').fingerprint]));
    expect(error).toMatchObject({ kind: 'missing' });
    expect(error.message).toBe(`team cache ${join(dir, 'not-mounted')}: the folder does not exist; create it, mount the share, or fix the remote path`);
    expect(existsSync(join(dir, 'not-mounted'))).toBe(false);
    expect(cache.disabledBy()?.kind).toBe('missing');
  });

  it('refuses a symbolic link inside the layout (it could lead writes elsewhere)', async () => {
    const { dir, share, cache } = await setup();
    await mkdir(join(dir, 'elsewhere'));
    await mkdir(join(share, 'v1'));
    await symlink(join(dir, 'elsewhere'), join(share, 'v1', 'videos'));
    const video = await writeVideo(dir, 'v.mp4', 10);
    const error = failure(await cache.push({ ...makeResultFacts('l'), videoPath: video.path }));
    expect(error).toMatchObject({ kind: 'corrupt', key: 'v1/videos' });
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
  });

  it('lets exactly one of 20 concurrent creates of a key win (hard link), leaving no temp files', async () => {
    const dir = await testdir({ 'share/x': '' });
    const backend = createFolderBackend({ root: join(dir, 'share'), clock: createFakeClock(), timeoutMs: 10_000 });
    const key = resultKey('0'.repeat(64));
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => backend.createSmall(key, Buffer.from(`writer ${i}`))));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect((await backend.readSmall(key, 100))?.toString()).toBe(`writer ${outcomes.indexOf('created')}`);
    expect(await readdir(join(dir, 'share', 'v1', 'results'))).toEqual([`${'0'.repeat(64)}.json`]);
  });
});
