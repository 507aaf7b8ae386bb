import { sha256Hex } from '../../../src/util/hash.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApiClient } from '../../../src/api/client.js';
import { ApiError } from '../../../src/api/errors.js';
import { type EmulatorOptions, startEmulator } from '../../../src/emulator/index.js';
import { testdir } from '../../helpers/testdir.js';

// The client against the project's own emulator (src/emulator): the two implementations of
// bach-api.md Part 1 must understand each other.

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function setup(options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ processingMs: 50, ...options });
  onTestFinished(() => emulator.close());
  const client = createApiClient({
    baseUrl: emulator.url,
    credentials: { accessKey: emulator.accessKey, secretKey: emulator.secretKey },
    retry: { baseDelayMs: 10 },
  });
  onTestFinished(() => client.close());
  return { emulator, client };
}

describe('client ↔ emulator', () => {
  it('uploads an image, creates a task, polls it and downloads a real MP4', async () => {
    const { emulator, client } = await setup();
    const dir = await testdir({ 'frame.png': PNG_1X1 });
    const upload = await client.uploadFiles([{ path: join(dir, 'frame.png'), name: 'frame.png', size: PNG_1X1.length, sha256: sha256Hex(PNG_1X1) }]);
    const [image] = upload.images;
    if (!image?.ok) throw new Error(`upload failed: ${JSON.stringify(image)}`);
    expect(await client.checkUrl(image.url)).toBe('ok');

    const task = await client.createTask('image-to-video', {
      model_name: 'bach-1.0-preview',
      image_url: image.url,
      prompt: 'She opens her eyes',
      resolution: '720p',
      duration: 1,
      fps: 24,
      seed: 7,
    });
    expect(task).toMatchObject({ status: 'TASK_PENDING', inDoubtRetried: false });

    let state = await client.getTask('image-to-video', task.taskId);
    for (let polls = 0; state.status !== 'TASK_SUCCEEDED' && polls < 200; polls += 1) {
      expect(state.status).not.toBe('TASK_FAILED');
      await new Promise((resolve) => setTimeout(resolve, 25));
      state = await client.getTask('image-to-video', task.taskId);
    }
    expect(state.videoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const dest = join(dir, 'out.mp4.tmp');
    const result = await client.download(state.videoUrl ?? '', dest);
    const bytes = await readFile(dest);
    expect(result.size).toBe(bytes.length);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(emulator.stats().submissions.total).toBe(1);
  });

  it('maps emulator refusals to ApiError with the business code', async () => {
    const { client } = await setup({ sensitiveWords: ['forbidden'] });
    const error = await client
      .createTask('text-to-video', { model_name: 'bach-1.0-preview', prompt: 'a forbidden act', resolution: '720p', duration: 6 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 1001, attempts: 1 });
  });

  it('bounds a create dropped after the task was made to two billed submissions, and says so', async () => {
    const { emulator, client } = await setup({ faults: { dropAfterCreate: 1 } });
    const error = await client
      .createTask('text-to-video', { model_name: 'bach-1.0-preview', prompt: 'x', resolution: '720p', duration: 6 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', inDoubt: true, attempts: 2 });
    expect(emulator.stats().submissions.total).toBe(2);
  });
});
