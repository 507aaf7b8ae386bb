import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES_FILE } from '../../../src/remote/capabilities.js';
import { probeKey } from '../../../src/remote/keys.js';
import { resolveS3Config } from '../../../src/remote/s3-config.js';
import { createS3Backend } from '../../../src/remote/s3-backend.js';
import { REMOTE_RETRY_POLICY } from '../../../src/remote/remote-retry.js';
import { DEFAULT_REMOTE_TIMEOUTS } from '../../../src/remote/timeouts.js';
import { systemClock } from '../../../src/util/clock.js';
import { radosgwAvailable, useRadosgw, type Radosgw } from '../../helpers/radosgw.js';
import { makeOwner, makeResultFacts, ok, openCache, writeVideo } from '../../helpers/remote.js';
import { testdir } from '../../helpers/testdir.js';

// Claims and the guarantee under them, against a real radosgw: a conditional create has exactly one
// winner among concurrent writers, a claim has one holder, and a stale claim is taken over by one
// machine only.

describe.runIf(radosgwAvailable())('team cache on radosgw: claims', () => {
  let rgw: Radosgw;
  beforeAll(async () => {
    rgw = await useRadosgw();
  }, 180_000);

  it('lets exactly one of 20 concurrent conditional creates win', async () => {
    const bucket = await rgw.createBucket();
    const config = resolveS3Config({ bucket, prefix: 'team', url: `s3://${bucket}/team` }, rgw.env());
    const backend = createS3Backend({ config, clock: systemClock, timeouts: DEFAULT_REMOTE_TIMEOUTS, retryPolicy: REMOTE_RETRY_POLICY });
    try {
      const key = probeKey('twenty-writers');
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => backend.createSmall(key, Buffer.from(`writer ${i}`))));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      const winner = outcomes.indexOf('created');
      expect((await backend.readSmall(key, 100))?.toString()).toBe(`writer ${winner}`);
    } finally {
      await backend.close();
    }
  });

  it('gives a fingerprint to one of 20 machines claiming it at once; the others see who holds it', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const fingerprint = makeResultFacts('contested').fingerprint;
    const caches = await Promise.all(
      Array.from({ length: 20 }, (_, i) => openCache(`s3://${bucket}`, { stateDir: join(dir, `m${i}`, '.bach'), env: rgw.env(), owner: makeOwner(`m${i}`) })),
    );
    const outcomes = (await Promise.all(caches.map((cache) => cache.claim(fingerprint)))).map(ok);
    const won = outcomes.filter((o) => o.kind === 'won');
    expect(won).toHaveLength(1);
    const holder = won[0]!.kind === 'won' ? won[0] : undefined;
    for (const outcome of outcomes.filter((o) => o.kind !== 'won')) {
      expect(outcome.kind).toBe('held');
    }
    const view = ok(await caches[0]!.readClaim(fingerprint));
    expect(view).toMatchObject({ fingerprint, state: 'active', status: 'live', generation: holder!.claim.generation() });
  });

  it('lets one of two machines take over a stale claim; the old owner learns it lost', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const fingerprint = makeResultFacts('abandoned').fingerprint;
    const open = (name: string, staleAfterMs: number) =>
      openCache(`s3://${bucket}`, { stateDir: join(dir, name), env: rgw.env(), owner: makeOwner(name), claimPolicy: { staleAfterMs, renewEveryMs: 500 } });
    const a = await open('a', 120_000);
    const first = ok(await a.claim(fingerprint));
    expect(first.kind).toBe('won');
    ok(await (first.kind === 'won' ? first.claim : undefined)!.recordTask({ taskId: 'task-of-a', apiOrigin: 'https://api.example' }));
    // B and C call a claim stale after 3 s without renewal (well above the 1 s steps of the server's
    // Date header, by which claims are timed): wait 4.5 s.
    const [b, c] = await Promise.all([open('b', 3000), open('c', 3000)]);
    await delay(4500);
    const takers = (await Promise.all([b.claim(fingerprint), c.claim(fingerprint)])).map(ok);
    expect(takers.filter((t) => t.kind === 'won')).toHaveLength(1);
    const winner = takers.find((t) => t.kind === 'won')!;
    expect(winner.kind === 'won' && winner.previous).toMatchObject({ taskId: 'task-of-a', apiOrigin: 'https://api.example', status: 'stale' });
    expect(takers.find((t) => t.kind !== 'won')).toMatchObject({ kind: 'held' });
    if (first.kind === 'won') expect(ok(await first.claim.renew())).toBe('lost');
    if (winner.kind === 'won') expect(ok(await winner.claim.renew())).toBe('renewed');
  });

  it('completes a claim when the result is pushed; a later claimer is told the result is there', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const facts = makeResultFacts('finished');
    const a = await openCache(`s3://${bucket}`, { stateDir: join(dir, 'a'), env: rgw.env(), owner: makeOwner('a') });
    const b = await openCache(`s3://${bucket}`, { stateDir: join(dir, 'b'), env: rgw.env(), owner: makeOwner('b') });
    const won = ok(await a.claim(facts.fingerprint));
    if (won.kind !== 'won') throw new Error('expected to win');
    expect(ok(await b.claim(facts.fingerprint))).toMatchObject({ kind: 'held', by: { owner: { host: 'host-a' } } });
    const video = await writeVideo(dir, 'v.mp4', 64);
    ok(await a.push({ ...facts, videoPath: video.path }));
    ok(await won.claim.complete());
    expect(ok(await b.readClaim(facts.fingerprint))).toMatchObject({ state: 'complete', status: 'ended' });
    expect(ok(await b.claim(facts.fingerprint))).toEqual({ kind: 'result-present' });
  });

  it('checks once that a second conditional create is refused, and remembers it in .bach/', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const stateDir = join(dir, '.bach');
    const first = await openCache(`s3://${bucket}/x`, { stateDir, env: rgw.env() });
    expect(ok(await first.checkCapabilities())).toMatchObject({ conditionalCreate: true });
    expect(first.requestCount()).toBeGreaterThanOrEqual(3);
    const memo = JSON.parse(await readFile(join(stateDir, CAPABILITIES_FILE), 'utf8'));
    expect(Object.keys(memo.remotes)).toEqual([`s3://${bucket}/x at ${rgw.endpoint}`]);
    expect(JSON.stringify(memo)).not.toContain(rgw.secretKey);
    const second = await openCache(`s3://${bucket}/x`, { stateDir, env: rgw.env() });
    expect(ok(await second.checkCapabilities())).toMatchObject({ conditionalCreate: true });
    expect(second.requestCount()).toBe(0);
  });
});
