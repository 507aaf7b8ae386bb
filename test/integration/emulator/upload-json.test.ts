import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TINY_PNG, useEmulator, type TestEmulator } from '../../helpers/emulator.js';

// POST /batch-upload/submit (asynchronous JSON: url or base64 images) and
// GET /batch-upload/status/{batch_id}: TASK_PENDING at once, then processed in the background.

async function waitForBatch(emu: TestEmulator, id: string): Promise<any> {
  for (let i = 0; i < 500; i += 1) {
    const answer = await emu.call('GET', `/batch-upload/status/${id}`);
    expect(answer.status, answer.text).toBe(200);
    if (answer.json!.data.status === 'TASK_SUCCEEDED' || answer.json!.data.status === 'TASK_FAILED') return answer.json!.data;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`batch ${id} did not finish`);
}

/** A loopback file server: /image.png → PNG, /page.png → HTML, anything else 404. */
async function startFileServer(): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/image.png') return res.end(TINY_PNG);
    if (req.url === '/page.png') return res.end('<html>not an image</html>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('submit (JSON)', () => {
  it('answers TASK_PENDING at once, then stores base64 images and fails bad ones one by one', async () => {
    const emu = await useEmulator();
    const png64 = TINY_PNG.toString('base64');
    const answer = await emu.call('POST', '/batch-upload/submit', {
      body: {
        upload_type: 'base64',
        batch_id: 'json-batch',
        images: [
          { imageData: `data:image/png;base64,${png64}`, imageName: 'dot.png' },
          { imageData: png64, format: 'png' },
          { imageData: png64 },
          { imageData: png64, format: 'heic' },
          { imageData: '' },
          { type: 'file', imageData: 'a.png' },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      code: 200,
      message: 'Success',
      data: { batch_id: 'json-batch', status: 'TASK_PENDING', total: 6, succeeded: 0, failed: 0, images: [] },
    });
    const data = await waitForBatch(emu, 'json-batch');
    expect(data).toEqual({
      batch_id: 'json-batch',
      status: 'TASK_SUCCEEDED',
      total: 6,
      succeeded: 2,
      failed: 4,
      images: [
        { index: 0, name: 'dot.png', status: 'SUCCEEDED', url: expect.stringMatching(/\/cdn\/uploads\/[0-9a-f]{24}\.png$/) },
        { index: 1, name: 'image_2.png', status: 'SUCCEEDED', url: expect.any(String) },
        { index: 2, name: 'image_3', status: 'FAILED', message: 'The 3th image (base64): Cannot determine image format.' },
        { index: 3, name: 'image_4', status: 'FAILED', message: "The 4th image (base64) format 'heic' is not supported." },
        { index: 4, name: 'image_5', status: 'FAILED', message: 'The 5th image: imageData cannot be empty.' },
        { index: 5, name: 'image_6', status: 'FAILED', message: 'The 6th image: For file type, please use the submit-with-files interface.' },
      ],
    });
    const stored = await fetch(data.images[1].url);
    expect(Buffer.from(await stored.arrayBuffer()).equals(TINY_PNG)).toBe(true);
    expect(emu.stats().uploads).toMatchObject({ batches: 1, images: 2, failedImages: 4 });
  });

  it('fetches url images from loopback only', async () => {
    const emu = await useEmulator();
    const files = await startFileServer();
    const { batch_id: id } = (
      await emu.call('POST', '/batch-upload/submit', {
        body: {
          upload_type: 'url',
          images: [
            { imageData: `${files}/image.png` },
            { imageData: `${files}/missing.png` },
            { imageData: `${files}/page.png` },
            { imageData: 'https://images.example.com/remote.png' },
            { imageData: `${files}/image` },
            { imageData: `${files}/image.heic` },
            { imageData: 'not a url' },
          ],
        },
      })
    ).json!.data;
    const data = await waitForBatch(emu, id);
    expect(data.images).toEqual([
      { index: 0, name: 'image.png', status: 'SUCCEEDED', url: expect.stringContaining('/cdn/uploads/') },
      { index: 1, name: 'missing.png', status: 'FAILED', message: 'The 2th image URL could not be fetched: HTTP 404.' },
      { index: 2, name: 'page.png', status: 'FAILED', message: "The 3th file 'page.png' is not an image." },
      { index: 3, name: 'remote.png', status: 'FAILED', message: 'The 4th image URL could not be fetched: the emulator only fetches loopback URLs.' },
      { index: 4, name: 'image', status: 'FAILED', message: 'The 5th image URL does not have a valid file extension.' },
      { index: 5, name: 'image.heic', status: 'FAILED', message: "The 6th image URL format 'heic' is not supported." },
      { index: 6, name: 'image_7', status: 'FAILED', message: 'The 7th image URL is not a valid HTTP or HTTPS URL.' },
    ]);
  });

  it.each([
    [{ upload_type: 'url' }, 'The upload image list cannot be empty.'],
    [{ upload_type: 'url', images: [] }, 'The upload image list cannot be empty.'],
    [{ images: [{ imageData: 'x' }] }, 'The upload type cannot be empty.'],
    [{ upload_type: 'file', images: [{ imageData: 'x' }] }, 'The upload type can only be url or base64.'],
    [{ upload_type: 'base64', images: Array(301).fill({ imageData: 'x' }) }, 'Batch upload supports a maximum of 300 images.'],
  ])('refuses %j as a whole request', async (body, message) => {
    const emu = await useEmulator();
    const answer = await emu.call('POST', '/batch-upload/submit', { body });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 1000, message, data: null });
  });

  it('refuses a body that is not a JSON object', async () => {
    const emu = await useEmulator();
    const answer = await emu.call('POST', '/batch-upload/submit', { body: 'images=1' });
    expect(answer.json).toEqual({ code: 1000, message: 'Request body must be a JSON object.', data: null });
  });
});
