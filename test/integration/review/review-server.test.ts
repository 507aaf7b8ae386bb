import { request } from 'node:http';
import { statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { createReviewPage } from '../../../src/review/create-review-page.js';
import { startReviewServer, type ReviewServer } from '../../../src/review/review-server.js';
import { writeReviewPage } from '../../../src/review/write-review-page.js';
import { createMp4 } from '../../../src/video/index.js';
import { file, makeShot } from '../../helpers/builders.js';
import { makePng } from '../../helpers/images.js';
import { createTestReviewData } from '../../helpers/review.js';
import { testdir } from '../../helpers/testdir.js';

// The review server over real loopback HTTP: 127.0.0.1 only, the page's files only, 404 for every
// path that escapes (sent raw, as a hostile client would, not normalised by a URL parser), byte
// ranges for video, and server-sent events carrying pushed updates.

const story = [makeShot({ id: 'a', seed: 1 }), makeShot({ id: 'b', mode: 'image-to-video', image: file('frames/hero.png'), duration: 2, seed: 2 })];
const files = { 'frames/hero.png': 'H', 'frames/a.png': 'A' };

async function project() {
  const root = await testdir({
    'bach.yaml': 'version: 1\nshots: []\n',
    '.env': 'BACH_SECRET_KEY=secret\n',
    '.bach/hashes.json': '{}',
    'frames/hero.png': makePng(1),
    'frames/notes.txt': 'not an asset',
    'renders/a.mp4': createMp4({ width: 64, height: 36, fps: 24, durationSeconds: 1 }),
    'renders/b.mp4': createMp4({ width: 64, height: 36, fps: 24, durationSeconds: 2 }),
    'renders/.secret.mp4': 'x',
  });
  const data = createTestReviewData(story, { files });
  await writeReviewPage(root, 'renders', createReviewPage(data));
  const server = await startReviewServer({ root, data });
  onTestFinished(() => server.close());
  return { root, data, server };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(server: ReviewServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the review server', () => {
  it('listens on 127.0.0.1 only and prints the page\'s URL', async () => {
    const { server } = await project();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/renders/`);
    const viaOtherAddress = await new Promise<string>((resolve) => {
      const req = request({ host: '::1', port: server.port, path: '/' }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end();
    });
    expect(viaOtherAddress).not.toBe('answered');
  });

  it('serves the page, the videos (with ranges) and the input images, with their types', async () => {
    const { root, server } = await project();
    const page = await get(server, '/renders/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('<h1>The Film</h1>');
    expect((await get(server, '/')).headers.location).toBe('/renders/');
    const size = statSync(join(root, 'renders/a.mp4')).size;
    const video = await get(server, '/renders/a.mp4?v=123');
    expect([video.status, video.headers['content-type'], video.body.length]).toEqual([200, 'video/mp4', size]);
    const part = await get(server, '/renders/a.mp4', { range: 'bytes=4-11' });
    expect([part.status, part.headers['content-range'], part.body.toString('latin1')]).toEqual([206, `bytes 4-11/${size}`, 'ftypisom']);
    expect((await get(server, '/renders/a.mp4', { range: `bytes=${size}-` })).status).toBe(416);
    const image = await get(server, '/frames/hero.png');
    expect([image.status, image.headers['content-type'], image.headers['content-security-policy']]).toEqual([200, 'image/png', "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"]);
    const head = await get(server, '/renders/b.mp4', {}, 'HEAD');
    expect([head.status, head.body.length]).toEqual([200, 0]);
    expect((await get(server, '/renders/b.mp4', {}, 'POST')).status).toBe(405);
  });

  it.each([
    '/bach.yaml',
    '/.env',
    '/.bach/hashes.json',
    '/frames/notes.txt',
    '/renders/.secret.mp4',
    '/renders/../.env',
    '/renders/%2e%2e/.env',
    '/renders/..%2f.env',
    '/renders/%2e%2e%2f%2e%2e%2fetc/passwd',
    '/../../../../etc/passwd',
    '/renders/missing.mp4',
  ])('answers %s with 404', async (path) => {
    const { server } = await project();
    const answer = await get(server, path);
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).not.toContain('secret');
  });

  it('refuses a video that is a symbolic link leading out of the output folder', async () => {
    const { root, server } = await project();
    symlinkSync(join(root, '.env'), join(root, 'renders', 'leak.mp4'));
    expect((await get(server, '/renders/leak.mp4')).status).toBe(404);
  });

  it('answers only requests addressed to it (no DNS rebinding)', async () => {
    const { server } = await project();
    expect((await get(server, '/renders/', { host: 'evil.example:80' })).status).toBe(421);
    expect((await get(server, '/renders/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('streams the current page parts on connect and every pushed update after', async () => {
    const { data, server } = await project();
    const events: string[] = [];
    const connected = new Promise<() => void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/__bach/events', headers: { host: `127.0.0.1:${server.port}` } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        res.setEncoding('utf8').on('data', (chunk: string) => events.push(chunk));
        resolve(() => req.destroy());
      });
      req.on('error', reject);
      req.end();
    });
    const close = await connected;
    await waitFor(() => events.join('').includes('event: review'));
    expect(server.clients()).toBe(1);
    const first = JSON.parse(events.join('').split('event: review\ndata: ').at(-1)!.trim());
    expect(first.cards.map((card: { id: string }) => card.id)).toEqual(['a', 'b']);
    expect(first.totals).toContain('2</span>');
    // Two pushes in a row are one update, with the latest data, holding only what changed.
    const submitting = structuredClone(data);
    submitting.run = { failed: {}, inFlight: { b: { status: 'submitting' } } };
    const processing = structuredClone(data);
    processing.run = { failed: {}, inFlight: { b: { status: 'processing', taskId: 'task-9' } } };
    server.push(submitting);
    server.push(processing);
    await waitFor(() => events.join('').split('event: review').length === 3);
    const last = JSON.parse(events.join('').split('event: review\ndata: ').at(-1)!.trim());
    expect(last.order).toEqual(['a', 'b']);
    expect(last.cards.map((card: { id: string }) => card.id)).toEqual(['b']);
    expect(last.cards[0].info).toContain('processing');
    expect(last.strip).toContain('seg-in-flight');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(events.join('').split('event: review').length).toBe(3);
    close();
    await waitFor(() => server.clients() === 0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
