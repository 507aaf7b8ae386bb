import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/util/canonical-json.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { textToVideoBody, TINY_PNG, useEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { testdir } from '../../helpers/testdir.js';

// The admin endpoints (outside /api/vdr, no auth): stats, reset, configure; and the request
// fingerprint that stats counts submissions by.

async function uploadPng(emu: TestEmulator): Promise<string> {
  const form = new FormData();
  form.append('files', new Blob([TINY_PNG]), 'frame.png');
  return (await emu.call('POST', '/batch-upload/submit-with-files', { body: form })).json!.data.images[0].url;
}

const admin = async (emu: TestEmulator, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${emu.origin}/_emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
};

describe('stats', () => {
  it('counts submissions per request fingerprint, with emulator upload URLs replaced by the image hash', async () => {
    const emu = await useEmulator();
    const first = await uploadPng(emu);
    const second = await uploadPng(emu); // the same image again: a new URL
    expect(second).not.toBe(first);
    const body = (url: string) => ({ model_name: 'bach-1.0-preview', image_url: url, resolution: '720p', duration: 2, seed: 3 });
    for (const url of [first, second]) expect((await emu.call('POST', '/videos/image2video', { body: body(url) })).json?.code).toBe(200);
    await emu.call('POST', '/videos/image2video', { body: { ...body(first), seed: 4 } });

    const expected = createHash('sha256')
      .update(canonicalJson({ mode: 'image2video', body: { ...body('x'), image_url: { sha256: createHash('sha256').update(TINY_PNG).digest('hex') } } }))
      .digest('hex');
    const { byFingerprint } = emu.stats().submissions;
    expect(byFingerprint[expected]).toBe(2);
    expect(Object.values(byFingerprint).sort()).toEqual([1, 2]);
    expect(emu.stats().tasks.map((task) => task.fingerprint)).toEqual([expected, expected, expect.not.stringMatching(expected)]);
  });

  it('reports requests, polls, uploads, rate limiting and the task list over HTTP', async () => {
    const emu = await useEmulator({ processingMs: 60_000 });
    await uploadPng(emu);
    const created = await emu.call('POST', '/videos/text2video', { body: textToVideoBody() });
    await emu.call('GET', `/videos/text2video/${created.json!.data.task_id}`);
    await emu.call('GET', '/status/x', { auth: null });
    const { status, json: stats } = await admin(emu, 'GET', 'stats');
    expect(status).toBe(200);
    expect(stats).toEqual(emu.stats());
    expect(stats).toMatchObject({
      requests: { total: 4, byRoute: { 'upload-files': 1, create: 1, query: 1, status: 1 }, byStatus: { '200': 3, '401': 1 } },
      polls: 1,
      batchPolls: 0,
      submissions: { total: 1, byMode: { text2video: 1, image2video: 0, multi2video: 0 } },
      uploads: { batches: 1, images: 1, failedImages: 0, bytes: TINY_PNG.length },
      rateLimited: 0,
      faults: { total: 0 },
      credits: { remaining: null, spent: 6, refunded: 0 },
    });
    expect(stats.tasks).toEqual([
      {
        taskId: created.json!.data.task_id,
        accessKey: 'bach-emulator-access-key',
        mode: 'text2video',
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        status: 'TASK_PROCESSING',
        createdAt: expect.any(Number),
        startedAt: expect.any(Number),
        processingMs: 60_000,
        finishedAt: null,
        readyAt: null,
        durationSeconds: 6,
        resolution: '720p',
        aspectRatio: '16:9',
        videoUrl: null,
        message: null,
      },
    ]);
  });
});

describe('reset and configure', () => {
  it('reset forgets tasks, batches, uploads and counters; the configuration stays', async () => {
    const emu = await useEmulator({ credits: 20 });
    const url = await uploadPng(emu);
    const created = await emu.call('POST', '/videos/text2video', { body: textToVideoBody() });
    expect((await admin(emu, 'POST', 'reset')).json).toEqual({ ok: true });
    const stats = emu.stats();
    expect(stats.tasks).toEqual([]);
    expect(stats.requests.total).toBe(0);
    expect(stats.credits).toEqual({ remaining: 20, spent: 0, refunded: 0 });
    expect((await fetch(url)).status).toBe(404);
    expect((await emu.call('GET', `/status/${created.json!.data.task_id}`)).status).toBe(404);
    expect(emu.getConfig().credits).toBe(20);
  });

  it('GET /_emulator/config shows the configuration; POST applies a patch or explains what is wrong', async () => {
    const emu = await useEmulator({ faults: { seed: 5 } });
    const before = await admin(emu, 'GET', 'config');
    expect(before.json).toMatchObject({ processingMs: 50, concurrencyPerKey: 4, faults: { seed: 5, drop: 0 } });
    const after = await admin(emu, 'POST', 'config', { processingMs: 10, faults: { drop: 0.5 } });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ processingMs: 10, faults: { seed: 5, drop: 0.5 } });
    expect(emu.getConfig().faults.drop).toBe(0.5);
    const bad = await admin(emu, 'POST', 'config', { faults: { drop: 2 } });
    expect(bad).toEqual({ status: 400, json: { error: 'config.faults.drop: must be a probability between 0 and 1, got 2' } });
    expect((await admin(emu, 'POST', 'config', [1])).status).toBe(400);
    expect((await admin(emu, 'GET', 'nope')).status).toBe(404);
    expect(() => emu.configure({ processingMs: -5 })).toThrow('config.processingMs: must be at least 0');
  });

  it('configure() replaces the keys at run time', async () => {
    const emu = await useEmulator();
    emu.configure({ keys: [{ accessKey: 'rotated-access', secretKey: 'rotated-secret' }] });
    expect(emu.accessKey).toBe('rotated-access');
    expect((await emu.call('GET', '/status/x')).status).toBe(404); // signed with the new first key
  });
});

describe('startEmulator', () => {
  it('refuses an invalid option, and close() removes the temp folder and is idempotent', async () => {
    await expect(startEmulator({ processingMs: -1 })).rejects.toThrow('options.processingMs: must be at least 0');
    const emu = await startEmulator();
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/vdr$/);
    expect(emu.accessKey).toBe('bach-emulator-access-key');
    expect(emu.secretKey).toBe('bach-emulator-secret-key');
    const folder = emu.dataDir;
    expect(existsSync(folder)).toBe(true);
    await Promise.all([emu.close(), emu.close()]);
    expect(existsSync(folder)).toBe(false);
    await expect(fetch(`${emu.origin}/_emulator/stats`)).rejects.toThrow();
  });
});

describe('close()', () => {
  it('leaves nothing that keeps the process alive, even with tasks still processing', async () => {
    const dir = await testdir({
      'embedded.mts': `
        import { startEmulator } from ${JSON.stringify(new URL('../../../src/emulator/index.ts', import.meta.url).pathname)};
        import { createHmac } from 'node:crypto';
        const emu = await startEmulator({ processingMs: 600_000, pendingMs: 0, concurrencyPerKey: 1, resultTtlMs: 600_000 });
        const now = Math.floor(Date.now() / 1000);
        const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const data = part({ alg: 'HS256', typ: 'JWT' }) + '.' + part({ iss: emu.accessKey, nbf: now - 5, exp: now + 60 });
        const token = data + '.' + createHmac('sha256', emu.secretKey).update(data).digest('base64url');
        const body = JSON.stringify({ model_name: 'bach-1.0-preview', prompt: 'p', resolution: '720p', duration: 6 });
        for (let i = 0; i < 3; i += 1) {
          const answer = await fetch(emu.url + '/videos/text2video', { method: 'POST', headers: { authorization: 'Bearer ' + token }, body });
          await answer.json();
        }
        await emu.close();
        console.log('closed');
      `,
    });
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(dir, 'embedded.mts')], {
      cwd: process.cwd(),
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('closed');
  });
});
