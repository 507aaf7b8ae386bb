import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamCache } from '../../../src/remote/open-team-cache.js';
import type { RemoteError } from '../../../src/remote/remote-error.js';
import { radosgwAvailable, useRadosgw, type Radosgw } from '../../helpers/radosgw.js';
import { failure, makeResultFacts, ok, openCache, writeVideo } from '../../helpers/remote.js';
import { testdir } from '../../helpers/testdir.js';

// Every way a team cache fails, each one line that names the remote, says what to do and holds no
// secret — against the real server where it can say no (radosgw), and against loopback sockets for a
// server that is gone or that never answers.

describe.runIf(radosgwAvailable())('team cache on radosgw: failures', () => {
  let rgw: Radosgw;
  beforeAll(async () => {
    rgw = await useRadosgw();
  }, 180_000);

  function expectOneLine(error: RemoteError, remote: string, secrets: string[]) {
    expect(error.message).toMatch(new RegExp(`^team cache ${remote.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(error.message).not.toContain('\n');
    expect(error.advice).toBeTruthy();
    for (const secret of secrets) expect(error.message).not.toContain(secret);
  }

  async function fingerprintsAndVideo(dir: string) {
    const facts = makeResultFacts('x');
    return { facts, video: await writeVideo(dir, 'v.mp4', 100), many: Array.from({ length: 30 }, (_, i) => makeResultFacts(`many ${i}`).fingerprint) };
  }

  it('a bucket that does not exist: missing, for lookups by HEAD and by LIST, pulls and pushes', async () => {
    const dir = await testdir();
    const { facts, video, many } = await fingerprintsAndVideo(dir);
    const open = () => openCache('s3://no-such-bucket-here/p', { stateDir: dir, env: rgw.env() });
    const checks: Array<(cache: TeamCache) => Promise<{ ok: boolean }>> = [
      (cache) => cache.lookup([facts.fingerprint]),
      (cache) => cache.lookup(many),
      (cache) => cache.pull({ fingerprint: facts.fingerprint, destination: join(dir, 'x.mp4') }),
      (cache) => cache.push({ ...facts, videoPath: video.path }),
    ];
    for (const check of checks) {
      const cache = await open();
      const error = failure((await check(cache)) as never) as RemoteError;
      expect(error.kind).toBe('missing');
      expect(error.detail).toBe('the bucket "no-such-bucket-here" does not exist');
      expectOneLine(error, `s3://no-such-bucket-here/p at ${rgw.endpoint}`, [rgw.secretKey]);
    }
  });

  it('a wrong secret or an unknown key: credentials, naming the variable, never the secret', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const wrongSecret = 'Wrong0Secret0Wrong0Secret0Wrong0Secret00';
    const wrong = await openCache(`s3://${bucket}`, { stateDir: dir, env: { ...rgw.env(), AWS_SECRET_ACCESS_KEY: wrongSecret } });
    const bySecret = failure(await wrong.lookup([makeResultFacts('y').fingerprint]));
    expect(bySecret).toMatchObject({ kind: 'credentials', code: 'SignatureDoesNotMatch' });
    expect(bySecret.advice).toContain('AWS_SECRET_ACCESS_KEY');
    expectOneLine(bySecret, `s3://${bucket} at ${rgw.endpoint}`, [wrongSecret, rgw.secretKey]);
    // The remote is out for the run: the next call answers at once with the same line.
    const requests = wrong.requestCount();
    expect(failure(await wrong.lookup([makeResultFacts('z').fingerprint])).message).toBe(bySecret.message);
    expect(wrong.requestCount()).toBe(requests);
    expect(wrong.disabledBy()?.kind).toBe('credentials');

    const unknown = await openCache(`s3://${bucket}`, { stateDir: dir, env: { ...rgw.env(), AWS_ACCESS_KEY_ID: 'NOSUCHKEY00000000000' } });
    const byKey = failure(await unknown.lookup(Array.from({ length: 30 }, (_, i) => makeResultFacts(`k${i}`).fingerprint)));
    expect(byKey).toMatchObject({ kind: 'credentials', code: 'InvalidAccessKeyId' });
    expect(byKey.advice).toContain('AWS_ACCESS_KEY_ID');
  });

  it('a user that may read but not write: reads work, a push is denied with the read-only advice, later pushes are not sent', async () => {
    const bucket = await rgw.createBucket();
    await rgw.allowReaderToRead(bucket);
    const dir = await testdir();
    const { facts, video } = await fingerprintsAndVideo(dir);
    const writer = await openCache(`s3://${bucket}`, { stateDir: join(dir, 'w'), env: rgw.env() });
    ok(await writer.push({ ...facts, videoPath: video.path }));

    const reader = await openCache(`s3://${bucket}`, { stateDir: join(dir, 'r'), env: rgw.env(rgw.reader) });
    expect(ok(await reader.lookup([facts.fingerprint])).present).toEqual(new Set([facts.fingerprint]));
    expect(ok(await reader.pull({ fingerprint: facts.fingerprint, destination: join(dir, 'pulled.mp4') })).kind).toBe('pulled');
    const other = makeResultFacts('other');
    const denied = failure(await reader.push({ ...other, videoPath: video.path }));
    expect(denied).toMatchObject({ kind: 'denied', code: 'AccessDenied' });
    expect(denied.advice).toContain('--remote-read-only');
    expectOneLine(denied, `s3://${bucket} at ${rgw.endpoint}`, [rgw.reader.secretKey]);
    const requests = reader.requestCount();
    expect(failure(await reader.push({ ...other, videoPath: video.path })).kind).toBe('denied');
    expect(reader.requestCount()).toBe(requests);
    expect(ok(await reader.lookup([facts.fingerprint])).present.size).toBe(1);
  });

  it('a user who may read objects but not list them: a large lookup falls back to HEADs', async () => {
    const bucket = await rgw.createBucket();
    await rgw.allowReaderToRead(bucket, ['s3:GetObject']);
    const dir = await testdir();
    const { facts, video, many } = await fingerprintsAndVideo(dir);
    ok(await (await openCache(`s3://${bucket}`, { stateDir: join(dir, 'w'), env: rgw.env() })).push({ ...facts, videoPath: video.path }));
    const reader = await openCache(`s3://${bucket}`, { stateDir: join(dir, 'r'), env: rgw.env(rgw.reader) });
    const found = ok(await reader.lookup([facts.fingerprint, ...many]));
    // S3 answers 403 for a missing key to a reader that may not list: absent, and counted.
    expect(found).toMatchObject({ present: new Set([facts.fingerprint]), method: 'list+head', refused: 30 });
    expect(found.requests).toBeGreaterThanOrEqual(1 + 31);
  });

  it('a user without any right on the bucket: denied on read', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const stranger = await openCache(`s3://${bucket}`, { stateDir: dir, env: rgw.env(rgw.reader) });
    expect(failure(await stranger.lookup([makeResultFacts('q').fingerprint]))).toMatchObject({ kind: 'denied' });
    const error = failure(await stranger.pull({ fingerprint: makeResultFacts('q').fingerprint, destination: join(dir, 'q.mp4') }));
    expect(error).toMatchObject({ kind: 'denied' });
    expect(error.detail).toContain('no permission to read');
  });

  it('no credentials at all: read-only, and a private bucket refuses anonymous reads', async () => {
    const bucket = await rgw.createBucket();
    const dir = await testdir();
    const anonymous = await openCache(`s3://${bucket}`, { stateDir: dir, env: { AWS_ENDPOINT_URL_S3: rgw.endpoint } });
    expect(anonymous.readOnly).toBe(true);
    expect(anonymous.readOnlyReason).toBe('no-credentials');
    expect(failure(await anonymous.lookup([makeResultFacts('r').fingerprint]))).toMatchObject({ kind: 'denied', detail: expect.stringContaining('anonymous access refused') });
    expect(failure(await anonymous.push({ ...makeResultFacts('r'), videoPath: join(dir, 'none.mp4') }))).toMatchObject({ kind: 'read-only' });
  });
});

describe('team cache on a server that is gone or never answers', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];
  let closedPort = 0;

  beforeAll(async () => {
    // Accepts connections and never answers: a full Ceph store.
    silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    // A port that was free a moment ago and has nothing listening: a stopped server.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const env = (port: number) => ({ AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-that-must-not-show-up' });

  it('a stopped server: unreachable, after the policy retries, and the remote is out for the run', async () => {
    const dir = await testdir();
    const cache = await openCache('s3://team-cache/p', { stateDir: dir, env: env(closedPort) });
    const error = failure(await cache.lookup([makeResultFacts('a').fingerprint]));
    expect(error).toMatchObject({ kind: 'unreachable', outcome: 'not-sent' });
    expect(error.message).toBe(
      `team cache s3://team-cache/p at http://127.0.0.1:${closedPort}: cannot reach the server (connection refused (ECONNREFUSED)); check AWS_ENDPOINT_URL_S3 and the network`,
    );
    expect(cache.requestCount()).toBe(3);
    expect(failure(await cache.pull({ fingerprint: makeResultFacts('b').fingerprint, destination: join(dir, 'b.mp4') })).kind).toBe('unreachable');
    expect(cache.requestCount()).toBe(3);
  });

  it('a server that never answers: a timeout of its own per request, not retried', async () => {
    const dir = await testdir();
    const cache = await openCache('s3://team-cache', { stateDir: dir, env: env(silentPort), timeouts: { headersMs: 300, idleMs: 300 } });
    const video = await writeVideo(dir, 'v.mp4', 1000);
    const error = failure(await cache.push({ ...makeResultFacts('c'), videoPath: video.path }));
    expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown' });
    expect(error.message).toContain(`team cache s3://team-cache at http://127.0.0.1:${silentPort}: the server did not answer in time`);
    expect(error.message).not.toContain('secret-that-must-not-show-up');
    expect(cache.requestCount()).toBe(1);
    expect(cache.disabledBy()?.kind).toBe('timeout');
  });
});
