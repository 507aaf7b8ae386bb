import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { TaskSummary } from '../../../src/emulator/index.js';
import { signToken, textToVideoBody, TINY_PNG, useEmulator, type TestEmulator } from '../../helpers/emulator.js';

// The task lifecycle: TASK_PENDING → TASK_PROCESSING → TASK_SUCCEEDED | TASK_FAILED, driven by time,
// with a per-key limit of tasks processing at once (the others wait, in order), and callbacks.

async function create(emu: TestEmulator, body = textToVideoBody(), auth?: string): Promise<string> {
  const answer = await emu.call('POST', '/videos/text2video', { body, ...(auth ? { auth } : {}) });
  expect(answer.json?.code, answer.text).toBe(200);
  return answer.json!.data.task_id;
}

/** The largest number of tasks whose [startedAt, finishedAt) intervals overlap. */
function maxOverlap(tasks: TaskSummary[]): number {
  const edges = tasks.flatMap((task) => [
    [task.startedAt!, 1],
    [task.finishedAt!, -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!); // ends before starts at the same instant
  let current = 0;
  let max = 0;
  for (const [, delta] of edges) max = Math.max(max, (current += delta!));
  return max;
}

describe('task lifecycle', () => {
  it('keeps at most concurrencyPerKey tasks processing per key; the others wait as TASK_PENDING and start in order', async () => {
    const keys = [
      { accessKey: 'key-a', secretKey: 'secret-a' },
      { accessKey: 'key-b', secretKey: 'secret-b' },
    ];
    // The fifth task of key A cannot start before two rounds of processing (2 × 250 ms) are over.
    const emu = await useEmulator({ keys, concurrencyPerKey: 2, processingMs: 250 });
    const authB = `Bearer ${await signToken(keys[1]!)}`;
    const idsA: string[] = [];
    for (let i = 0; i < 5; i += 1) idsA.push(await create(emu, textToVideoBody({ seed: i })));
    const idB = await create(emu, textToVideoBody(), authB);

    const early = new Map(emu.stats().tasks.map((task) => [task.taskId, task.status]));
    expect(idsA.filter((id) => early.get(id) === 'TASK_PROCESSING').length).toBeLessThanOrEqual(2);
    expect(early.get(idsA[4]!)).toBe('TASK_PENDING');
    const pending = await emu.call('GET', `/videos/text2video/${idsA[4]}`);
    expect(pending.json?.data).toMatchObject({ status: 'TASK_PENDING' });
    expect(early.get(idB)).toBe('TASK_PROCESSING'); // key B is not held back by key A's queue

    for (const id of idsA) await emu.waitForTask(id);
    await emu.waitForTask(idB, { auth: authB });
    const tasks = emu.stats().tasks;
    const ofA = idsA.map((id) => tasks.find((task) => task.taskId === id)!);
    expect(ofA.every((task) => task.status === 'TASK_SUCCEEDED')).toBe(true);
    expect(maxOverlap(ofA)).toBe(2);
    const startOrder = [...ofA].sort((a, b) => a.startedAt! - b.startedAt!).map((task) => task.taskId);
    expect(startOrder).toEqual(idsA);
    expect(tasks.find((task) => task.taskId === idB)!.accessKey).toBe('key-b');
  });

  it('keeps a task in TASK_PENDING for at least pendingMs', async () => {
    const emu = await useEmulator({ pendingMs: 150, processingMs: 10 });
    const id = await create(emu);
    const done = await emu.waitForTask(id);
    expect(done.status).toBe('TASK_SUCCEEDED');
    const task = emu.stats().tasks[0]!;
    expect(task.startedAt! - task.createdAt).toBeGreaterThanOrEqual(150);
  });

  it('starts waiting tasks when the concurrency is raised at run time', async () => {
    const emu = await useEmulator({ concurrencyPerKey: 1, processingMs: 60_000 });
    const ids = [await create(emu, textToVideoBody({ seed: 1 })), await create(emu, textToVideoBody({ seed: 2 }))];
    expect(emu.stats().tasks.map((task) => task.status)).toEqual(['TASK_PROCESSING', 'TASK_PENDING']);
    emu.configure({ concurrencyPerKey: 2 });
    expect(emu.stats().tasks.map((task) => task.status)).toEqual(['TASK_PROCESSING', 'TASK_PROCESSING']);
    expect(ids).toHaveLength(2);
  });

  it('ends a task TASK_FAILED with a message under the taskFailed fault, and refunds its credits', async () => {
    const emu = await useEmulator({ credits: 30, faults: { taskFailed: 1 } });
    const id = await create(emu);
    expect(emu.stats().credits).toMatchObject({ remaining: 24, spent: 6 });
    const done = await emu.waitForTask(id);
    expect(done.status).toBe('TASK_FAILED');
    expect(done.message).toBe('Video generation failed (emulator fault injection).');
    expect(done).not.toHaveProperty('video_url');
    expect(emu.stats().credits).toEqual({ remaining: 30, spent: 6, refunded: 6 });
    expect(emu.stats().faults.taskFailed).toBe(1);
    const cdn = await fetch(`${emu.origin}/cdn/results/${id}.mp4`);
    expect(cdn.status).toBe(404);
  });

  it('fails a task whose input is an emulator upload URL that expired or never existed', async () => {
    const emu = await useEmulator();
    const form = new FormData();
    form.append('files', new Blob([TINY_PNG]), 'frame.png');
    const upload = await emu.call('POST', '/batch-upload/submit-with-files', { body: form });
    const url = upload.json!.data.images[0].url as string;
    const i2v = (imageUrl: string) => ({ model_name: 'bach-1.0-preview', image_url: imageUrl, resolution: '720p', duration: 2 });

    const fresh = await emu.call('POST', '/videos/image2video', { body: i2v(url) });
    expect((await emu.waitForTask(fresh.json!.data.task_id)).status).toBe('TASK_SUCCEEDED');

    const missing = `${emu.origin}/cdn/uploads/${'0'.repeat(24)}.png`;
    const unknown = await emu.call('POST', '/videos/image2video', { body: i2v(missing) });
    expect(await emu.waitForTask(unknown.json!.data.task_id)).toMatchObject({ status: 'TASK_FAILED', message: `Failed to download image: ${missing}` });

    emu.configure({ uploadTtlMs: 0 });
    const expired = await emu.call('POST', '/videos/image2video', { body: i2v(url) });
    expect(await emu.waitForTask(expired.json!.data.task_id)).toMatchObject({ status: 'TASK_FAILED', message: `Failed to download image: ${url}` });
  });
});

describe('processing times', () => {
  it('draws each task time from the mean and spread, repeatably, and reports when each result was ready', async () => {
    const config = { processingMs: 200, processingSpread: 0.5, timingSeed: 'lifecycle', concurrencyPerKey: 8 };
    const prompts = Array.from({ length: 8 }, (_, index) => `shot ${index}`);
    const run = async () => {
      const emu = await useEmulator(config);
      const ids = await Promise.all(prompts.map((prompt) => create(emu, textToVideoBody({ prompt }))));
      for (const id of ids) await emu.waitForTask(id);
      return (await emu.adminStats()).tasks;
    };
    const first = await run();
    const times = first.map((task) => task.processingMs!);
    for (const time of times) {
      expect(time).toBeGreaterThanOrEqual(100);
      expect(time).toBeLessThanOrEqual(300);
    }
    expect(new Set(times).size).toBeGreaterThan(4);
    for (const task of first) expect(task.readyAt).toBe(task.finishedAt);
    // Another emulator, the same seed and requests: the same time for each request.
    const byFingerprint = (tasks: TaskSummary[]) => Object.fromEntries(tasks.map((task) => [task.fingerprint, task.processingMs]));
    expect(byFingerprint(await run())).toEqual(byFingerprint(first));
  });

  it('takes the spread and the seed from POST /_emulator/config, and reports no readyAt for a failed task', async () => {
    const emu = await useEmulator({ faults: { taskFailed: 1 } });
    const answer = await fetch(`${emu.origin}/_emulator/config`, { method: 'POST', body: JSON.stringify({ processingSpread: 0.25, timingSeed: 9 }) });
    expect(await answer.json()).toMatchObject({ processingMs: 50, processingSpread: 0.25, timingSeed: 9 });
    const id = await create(emu);
    await emu.waitForTask(id);
    const [task] = emu.stats().tasks;
    expect(task).toMatchObject({ status: 'TASK_FAILED', readyAt: null });
    expect(task!.processingMs).toBeGreaterThanOrEqual(37);
    expect(task!.processingMs).toBeLessThanOrEqual(63);
  });
});

describe('callbacks', () => {
  it('POSTs the final query data as an envelope to a loopback callback_url, and skips other hosts', async () => {
    const received: { path: string; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(text) });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;

    const emu = await useEmulator();
    const id = await create(emu, textToVideoBody({ callback_url: `http://127.0.0.1:${port}/hook?shot=1` }));
    const skipped = await create(emu, textToVideoBody({ callback_url: 'https://hooks.example.com/never-called' }));
    const done = await emu.waitForTask(id);
    await emu.waitForTask(skipped);
    await emu.callbacksSettled();
    expect(received).toEqual([{ path: '/hook?shot=1', body: { code: 200, message: 'Success', data: done, task_id: id, status: 'TASK_SUCCEEDED' } }]);
    expect(emu.stats().callbacks).toEqual({ sent: 1, failed: 0, skipped: 1 });
  });
});
