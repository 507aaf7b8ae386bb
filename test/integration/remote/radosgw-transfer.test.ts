import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultKey, videoKey } from '../../../src/remote/keys.js';
import { radosgwAvailable, useRadosgw, type Radosgw } from '../../helpers/radosgw.js';
import { failure, makeResultFacts, ok, openCache, writeVideo } from '../../helpers/remote.js';
import { testdir } from '../../helpers/testdir.js';

// Push and pull against a real radosgw: streamed both ways, verified before anything is placed,
// written once; and the lookup's choice between HEADs and LIST pages.

describe.runIf(radosgwAvailable())('team cache on radosgw: transfers', () => {
  let rgw: Radosgw;
  beforeAll(async () => {
    rgw = await useRadosgw();
  }, 180_000);

  async function setup(env: Record<string, string> = {}) {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const cache = await openCache(`s3://${bucket}/team`, { stateDir: join(dir, '.bach'), env: { ...rgw.env(), ...env } });
    return { bucket, dir, cache };
  }

  it('pushes a streamed video with its record and pulls it back byte for byte, by the lock and by the record', async () => {
    const { dir, cache } = await setup();
    const video = await writeVideo(dir, 'shot.mp4', 3 * 1024 * 1024 + 17);
    const facts = makeResultFacts('a');
    const pushed = ok(await cache.push({ ...facts, videoPath: video.path, sha256: video.sha256 }));
    expect(pushed).toEqual({ kind: 'pushed', sha256: video.sha256, size: video.size, videoUploaded: true });

    const byLock = ok(await cache.pull({ fingerprint: facts.fingerprint, expectedSha256: video.sha256, expectedSize: video.size, destination: join(dir, 'cache', 'a.mp4') }));
    expect(byLock).toEqual({ kind: 'pulled', sha256: video.sha256, size: video.size, record: null });
    const byRecord = ok(await cache.pull({ fingerprint: facts.fingerprint, destination: join(dir, 'cache', 'b.mp4') }));
    expect(byRecord.kind === 'pulled' && byRecord.record).toMatchObject({ ...facts, sha256: video.sha256, size: video.size, tool: expect.stringMatching(/^bach-render /) });
    const original = await readFile(video.path);
    expect((await readFile(join(dir, 'cache', 'a.mp4'))).equals(original)).toBe(true);
    expect((await readFile(join(dir, 'cache', 'b.mp4'))).equals(original)).toBe(true);
  });

  it('writes a result once: a second push of another take is a conflict and changes nothing', async () => {
    const { dir, cache } = await setup();
    const facts = makeResultFacts('b');
    const first = await writeVideo(dir, 'first.mp4', 2000);
    const second = await writeVideo(dir, 'second.mp4', 2000);
    ok(await cache.push({ ...facts, videoPath: first.path }));
    expect(ok(await cache.push({ ...facts, videoPath: first.path }))).toEqual({ kind: 'already-present', sha256: first.sha256, size: 2000 });
    const conflict = ok(await cache.push({ ...facts, videoPath: second.path }));
    expect(conflict).toMatchObject({ kind: 'conflict', record: { sha256: first.sha256 } });
    const pulled = ok(await cache.pull({ fingerprint: facts.fingerprint, destination: join(dir, 'pulled.mp4') }));
    expect(pulled).toMatchObject({ kind: 'pulled', sha256: first.sha256 });
  });

  it('refuses a tampered video with the object name and places nothing', async () => {
    const { bucket, dir, cache } = await setup();
    const facts = makeResultFacts('c');
    const video = await writeVideo(dir, 'shot.mp4', 5000);
    ok(await cache.push({ ...facts, videoPath: video.path }));
    // Someone with write access replaces the video behind the record's back.
    const tampered = await rgw.request('PUT', `/${bucket}/team/${videoKey(video.sha256)}`, { body: 'not the video' });
    expect(tampered.status).toBe(200);

    for (const request of [{ expectedSha256: video.sha256 }, {}]) {
      const destination = join(dir, 'placed.mp4');
      const error = failure(await cache.pull({ fingerprint: facts.fingerprint, destination, ...request }));
      expect(error.kind).toBe('corrupt');
      expect(error.key).toBe(videoKey(video.sha256));
      expect(error.message).toContain(`object ${videoKey(video.sha256)}`);
      expect(existsSync(destination)).toBe(false);
    }
  });

  it('refuses a record whose request does not hash to its fingerprint', async () => {
    const { bucket, dir, cache } = await setup();
    const facts = makeResultFacts('d');
    const other = makeResultFacts('something else');
    const video = await writeVideo(dir, 'shot.mp4', 100);
    ok(await cache.push({ ...other, videoPath: video.path }));
    const forged = (await rgw.request('GET', `/${bucket}/team/${resultKey(other.fingerprint)}`)).text.replace(other.fingerprint, facts.fingerprint);
    expect((await rgw.request('PUT', `/${bucket}/team/${resultKey(facts.fingerprint)}`, { body: forged })).status).toBe(200);
    const error = failure(await cache.pull({ fingerprint: facts.fingerprint, destination: join(dir, 'x.mp4') }));
    expect(error).toMatchObject({ kind: 'corrupt', key: resultKey(facts.fingerprint) });
    expect(error.detail).toContain('does not hash to its fingerprint');
  });

  it('says missing for a result that is not there', async () => {
    const { dir, cache } = await setup();
    const facts = makeResultFacts('e');
    expect(ok(await cache.pull({ fingerprint: facts.fingerprint, destination: join(dir, 'x.mp4') }))).toEqual({ kind: 'missing' });
    expect(ok(await cache.pull({ fingerprint: facts.fingerprint, expectedSha256: 'a'.repeat(64), destination: join(dir, 'x.mp4') }))).toEqual({ kind: 'missing' });
  });

  it('looks up few fingerprints with HEADs and many with LIST pages', async () => {
    const { dir, cache } = await setup();
    const video = await writeVideo(dir, 'shot.mp4', 10);
    const stored = Array.from({ length: 60 }, (_, i) => makeResultFacts(`stored ${i}`));
    for (const facts of stored) ok(await cache.push({ ...facts, videoPath: video.path }));
    const absent = Array.from({ length: 40 }, (_, i) => makeResultFacts(`absent ${i}`).fingerprint);

    const few = ok(await cache.lookup([stored[0]!.fingerprint, stored[1]!.fingerprint, absent[0]!]));
    expect(few).toEqual({ present: new Set([stored[0]!.fingerprint, stored[1]!.fingerprint]), requests: 3, method: 'head', refused: 0 });

    const all = [...stored.map((f) => f.fingerprint), ...absent];
    const many = ok(await cache.lookup(all));
    expect(many.present).toEqual(new Set(stored.map((f) => f.fingerprint)));
    expect(many.method).toBe('list');
    expect(many.requests).toBe(1);

    // Pages of 7 keys: the skipping LIST still answers every fingerprint right.
    const paged = ok(await cache.lookup(all, { pageSize: 7, concurrency: 2, minAnsweredPerPage: 1 }));
    expect(paged.present).toEqual(many.present);
    expect(paged.method).toBe('list');
    // Sparse wanted ones: pages that answer too few hand the rest to HEADs.
    const sparse = [stored[3]!.fingerprint, stored[40]!.fingerprint, ...absent.slice(0, 30)];
    const mixed = ok(await cache.lookup(sparse, { pageSize: 2, concurrency: 1, headThreshold: 0, minAnsweredPerPage: 3 }));
    expect(mixed.present).toEqual(new Set([stored[3]!.fingerprint, stored[40]!.fingerprint]));
  });
});
