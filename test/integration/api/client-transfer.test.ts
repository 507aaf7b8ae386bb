import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ApiError } from '../../../src/api/errors.js';
import { generatedBytes, generatedSha256, type Reply, startGeneratorProcess } from '../../helpers/scripted-server.js';
import { testdir } from '../../helpers/testdir.js';
import { measurePeakLiveMemory, setupClient } from './setup.js';

function script(...replies: Reply[]) {
  const queue = [...replies];
  return () => (queue.length > 1 ? (queue.shift() as Reply) : (queue[0] as Reply));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('download', () => {
  it('streams the file to the path, hashing it, without an Authorization header', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const { client, server, events } = await setupClient(() => ({ status: 200, generate: { size } }));
    const dest = join(await testdir(), 'out.mp4.tmp');
    const result = await client.download(`${server.origin}/cdn/v.mp4?sig=abc`, dest, { expectedSize: size });
    const expected = generatedBytes(size);
    expect(result).toEqual({ size, sha256: sha256(expected) });
    expect(sha256(await readFile(dest))).toBe(result.sha256);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/cdn/v.mp4?sig=abc' });
    expect(events).toEqual([]);
  });

  it('retries a 5xx and a body cut short, restarting the file', async () => {
    const size = 512 * 1024;
    const { client, server, events } = await setupClient(
      script({ status: 503, body: 'busy' }, { status: 200, generate: { size, cutAfter: 200 * 1024 } }, { status: 200, generate: { size } }),
    );
    const dest = join(await testdir(), 'v.tmp');
    const result = await client.download(`${server.origin}/cdn/v.mp4`, dest);
    expect(result).toEqual({ size, sha256: sha256(generatedBytes(size)) });
    expect((await readFile(dest)).length).toBe(size);
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => `${e.type} ${e.request}`)).toEqual(['api:retry download', 'api:retry download']);
  });

  it.each([403, 404, 410])('reports %i as gone, at once, and removes the partial file', async (status) => {
    const { client, server } = await setupClient(() => ({ status, body: 'no' }));
    const dest = join(await testdir(), 'v.tmp');
    const error = await client.download(`https://user:pw@127.0.0.1:1/x`, dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError); // refused (port 1) — and the URL printed has no credentials
    expect((error as ApiError).url).toBe('https://127.0.0.1:1/x');
    const gone = await client.download(`${server.origin}/cdn/x.mp4?token=secret`, dest).catch((e: unknown) => e);
    expect(gone).toMatchObject({ kind: 'http', status, gone: true, retryable: false, attempts: 1 });
    expect((gone as ApiError).url).toBe(`${server.origin}/cdn/x.mp4?…`);
    expect(server.requests).toHaveLength(1);
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses a size other than the expected one', async () => {
    const { client, server } = await setupClient(() => ({ status: 200, generate: { size: 1000 } }));
    const dest = join(await testdir(), 'v.tmp');
    const error = await client.download(`${server.origin}/cdn/v.mp4`, dest, { expectedSize: 999 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'protocol', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('follows a CDN redirect', async () => {
    const { client, server } = await setupClient((request) =>
      request.path === '/cdn/old' ? { status: 302, headers: { location: '/cdn/new' } } : { status: 200, generate: { size: 10 } },
    );
    const dest = join(await testdir(), 'v.tmp');
    expect((await client.download(`${server.origin}/cdn/old`, dest)).size).toBe(10);
    expect(server.requests.map((r) => r.path)).toEqual(['/cdn/old', '/cdn/new']);
  });

  // Live memory is sampled after forced GCs; it still wobbles by up to ~30 MB (fs and socket buffers
  // in flight), whatever the file size. A 100 MiB file against a bound of half its size separates
  // "streamed" from "held whole" with room to spare.
  it('keeps memory flat for a large download', async () => {
    const size = 100 * 1024 * 1024;
    const cdn = await startGeneratorProcess(size);
    onTestFinished(() => cdn.close());
    const { client } = await setupClient(() => ({ status: 500 }));
    const dest = join(await testdir(), 'big.tmp');
    let result: { size: number; sha256: string } | undefined;
    const peak = await measurePeakLiveMemory(async () => {
      result = await client.download(`${cdn.origin}/cdn/big.mp4`, dest, { expectedSize: size });
    });
    expect(result).toEqual({ size, sha256: generatedSha256(size) });
    expect(peak).toBeLessThan(size / 2);
  });
});

describe('checkUrl', () => {
  it('answers ok for 2xx and gone for 403/404/410, with HEAD and no Authorization', async () => {
    const statuses: Record<string, number> = { '/a': 200, '/b': 404, '/c': 410, '/d': 403 };
    const { client, server } = await setupClient((request) => ({ status: statuses[request.path] ?? 500 }));
    const results = await Promise.all(['/a', '/b', '/c', '/d'].map((path) => client.checkUrl(`${server.origin}${path}`)));
    expect(results).toEqual(['ok', 'gone', 'gone', 'gone']);
    expect(server.requests.every((r) => r.method === 'HEAD' && r.headers.authorization === undefined)).toBe(true);
  });

  it('asks for one byte when HEAD is not allowed', async () => {
    const { client, server } = await setupClient((request) => (request.method === 'HEAD' ? { status: 405 } : { status: 206, body: 'x' }));
    expect(await client.checkUrl(`${server.origin}/img.png`)).toBe('ok');
    expect(server.requests.map((r) => `${r.method} ${r.headers.range ?? ''}`)).toEqual(['HEAD ', 'GET bytes=0-0']);
  });

  it('retries a 5xx', async () => {
    const { client, server, events } = await setupClient(script({ status: 502 }, { status: 200 }));
    expect(await client.checkUrl(`${server.origin}/a.png`)).toBe('ok');
    expect(server.requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'api:retry', request: 'check' });
  });
});
