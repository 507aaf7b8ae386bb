import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMp4 } from '../../../src/video/index.js';
import { textToVideoBody, useEmulator, type TestEmulator } from '../../helpers/emulator.js';

// Results are real H.264 MP4 files at the request's size, 24 fps and duration, checked by parsing
// them (src/video parseMp4, no ffmpeg); each task's file differs from every other's; they are
// served by the emulator's CDN (GET/HEAD/Range, no auth) and can be made to expire.

async function render(emu: TestEmulator, mode: string, body: Record<string, unknown>): Promise<{ id: string; url: string }> {
  const created = await emu.call('POST', `/videos/${mode}`, { body });
  expect(created.json?.code, created.text).toBe(200);
  const id = created.json!.data.task_id as string;
  const done = await emu.waitForTask(id);
  expect(done.status).toBe('TASK_SUCCEEDED');
  return { id, url: done.video_url as string };
}

async function download(url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(url, { headers });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('result files', () => {
  it.each([
    ['720p', '16:9', 1280, 720, 4],
    ['720p', '9:16', 720, 1280, 1],
    ['720p', '1:1', 720, 720, 5],
    ['1080p', '16:9', 1920, 1080, 2],
    ['1080p', '9:16', 1080, 1920, 3],
    ['1080p', '1:1', 1080, 1080, 5],
  ] as const)('%s %s → %ix%i, 24 fps, %i s', async (resolution, aspect_ratio, width, height, duration) => {
    const emu = await useEmulator();
    const body = { model_name: 'bach-1.0-preview', image_url: 'https://images.example.com/a.png', resolution, aspect_ratio, duration, fps: 24 };
    const { id, url } = await render(emu, 'image2video', body);
    const file = await download(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    expect(parseMp4(file.bytes)).toMatchObject({ width, height, fps: 24, durationSeconds: duration, frameCount: 24 * duration, codec: 'avc1', tag: id });
  });

  it('text-to-video: 6 s at 24 fps; aspect ratio defaults to 16:9', async () => {
    const emu = await useEmulator();
    const { aspect_ratio: _omitted, ...body } = textToVideoBody({ resolution: '1080p' });
    const { url } = await render(emu, 'text2video', body);
    expect(parseMp4((await download(url)).bytes)).toMatchObject({ width: 1920, height: 1080, fps: 24, durationSeconds: 6 });
  });

  it('gives every task its own bytes, even for the same request', async () => {
    const emu = await useEmulator();
    const first = await render(emu, 'text2video', textToVideoBody());
    const second = await render(emu, 'text2video', textToVideoBody());
    const [a, b] = await Promise.all([download(first.url), download(second.url)]);
    expect(sha256(a.bytes)).not.toBe(sha256(b.bytes));
    expect(parseMp4(a.bytes).tag).toBe(first.id);
    expect(parseMp4(b.bytes).tag).toBe(second.id);
  });

  it('answers HEAD with the size, honours a byte range, and needs no Authorization', async () => {
    const emu = await useEmulator();
    const { url } = await render(emu, 'text2video', textToVideoBody());
    const whole = await download(url);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(whole.bytes.length);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const part = await download(url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.bytes.length}`);
    expect(part.bytes.equals(whole.bytes.subarray(100, 200))).toBe(true);
    const tail = await download(url, { range: 'bytes=-10' });
    expect(tail.bytes.equals(whole.bytes.subarray(-10))).toBe(true);
    const outside = await download(url, { range: `bytes=${whole.bytes.length}-` });
    expect(outside.status).toBe(416);
    expect(emu.stats().downloads).toMatchObject({ results: 3, bytes: whole.bytes.length + 100 + 10 });
  });

  it('expires result URLs: 403 "Request has expired" while the query keeps the same URL', async () => {
    const emu = await useEmulator();
    const { id, url } = await render(emu, 'text2video', textToVideoBody());
    expect((await download(url)).status).toBe(200);
    emu.configure({ resultTtlMs: 0 });
    const expired = await download(url);
    expect(expired.status).toBe(403);
    expect(expired.bytes.toString()).toContain('<Message>Request has expired</Message>');
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(403);
    const again = await emu.call('GET', `/status/${id}`);
    expect(again.json?.data.video_url).toBe(url);
    emu.configure({ resultTtlMs: 60_000 });
    expect((await download(url)).status).toBe(200);
  });

  it('pads results with a trailing free box when asked, streamed, and the file still parses', async () => {
    const emu = await useEmulator();
    const plain = await download((await render(emu, 'text2video', textToVideoBody())).url);
    emu.configure({ resultPaddingBytes: 3 * 1024 * 1024 });
    const { url } = await render(emu, 'text2video', textToVideoBody());
    const padded = await download(url);
    expect(padded.bytes.length).toBe(plain.bytes.length + 3 * 1024 * 1024 + 8);
    expect(parseMp4(padded.bytes)).toMatchObject({ width: 1280, height: 720, durationSeconds: 6 });
  });

  it('answers unknown CDN paths with 404, and a result before it exists with 404', async () => {
    const emu = await useEmulator({ processingMs: 60_000 });
    const created = await emu.call('POST', '/videos/text2video', { body: textToVideoBody() });
    const early = await fetch(`${emu.origin}/cdn/results/${created.json!.data.task_id}.mp4`);
    expect(early.status).toBe(404);
    expect((await fetch(`${emu.origin}/cdn/results/nope.mp4`)).status).toBe(404);
    expect((await fetch(`${emu.origin}/cdn/uploads/nope.png`)).status).toBe(404);
  });

  it('renders 200 tasks, each with its own file', async () => {
    const emu = await useEmulator({ processingMs: 20, concurrencyPerKey: 50 });
    const ids = await Promise.all(
      Array.from({ length: 200 }, async (_, seed) => {
        const created = await emu.call('POST', '/videos/text2video', { body: textToVideoBody({ seed }) });
        return created.json!.data.task_id as string;
      }),
    );
    const hashes = new Set<string>();
    for (let start = 0; start < ids.length; start += 25) {
      await Promise.all(
        ids.slice(start, start + 25).map(async (id) => {
          const done = await emu.waitForTask(id);
          const file = await download(done.video_url);
          hashes.add(sha256(file.bytes));
          expect(parseMp4(file.bytes).tag).toBe(id);
        }),
      );
    }
    expect(hashes.size).toBe(200);
    expect(emu.stats().submissions.total).toBe(200);
    expect(Object.keys(emu.stats().submissions.byFingerprint)).toHaveLength(200);
  });
});
