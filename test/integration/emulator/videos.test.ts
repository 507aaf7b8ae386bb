import { describe, expect, it } from 'vitest';
import { textToVideoBody, useEmulator } from '../../helpers/emulator.js';

// The three create endpoints and their query paths, over real HTTP (bach-api.md Part 1,
// "Generation endpoints"): the envelope, the HTTP statuses and business codes, the check order
// parameter rules → 1001 → 1300 → 1301 → 1302, and the `/status/{id}` alias.

const URL_A = 'https://images.example.com/a.png';
const bodies = {
  text2video: textToVideoBody(),
  image2video: { model_name: 'bach-1.0-preview', image_url: URL_A, resolution: '1080p', duration: 3, enable_moderation: true },
  multi2video: { model_name: 'bach-1.0-preview', prompt: 'The hero walks', image_url: [[URL_A, URL_A], URL_A], subject_name: 'Hero', resolution: '720p', aspect_ratio: '1:1', duration: 5 },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('create and query', () => {
  it.each(Object.entries(bodies))('%s: create answers TASK_PENDING, the query path follows the task to TASK_SUCCEEDED', async (mode, body) => {
    const emu = await useEmulator();
    const before = Math.floor(Date.now() / 1000);
    const created = await emu.call('POST', `/videos/${mode}`, { body });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const data = created.json!.data;
    // The envelope, with task_id and status repeated at the top level for the seed's sample code.
    expect(created.json).toEqual({ code: 200, message: 'Success', data, task_id: data.task_id, status: 'TASK_PENDING' });
    expect(Object.keys(data).sort()).toEqual(['created_at', 'status', 'task_id']);
    expect(data.task_id).toMatch(UUID);
    expect(data.status).toBe('TASK_PENDING');
    expect(data.created_at).toBeGreaterThanOrEqual(before);

    const done = await emu.waitForTask(data.task_id, { mode });
    expect(done).toMatchObject({ task_id: data.task_id, status: 'TASK_SUCCEEDED', created_at: data.created_at });
    expect(done.video_url).toBe(`${emu.origin}/cdn/results/${data.task_id}.mp4`);
    expect(done).not.toHaveProperty('message');
    expect(done.updated_at).toBeGreaterThanOrEqual(data.created_at);

    const alias = await emu.call('GET', `/status/${data.task_id}`);
    expect(alias.json).toEqual({ code: 200, message: 'Success', data: done, task_id: data.task_id, status: 'TASK_SUCCEEDED' });
    expect(emu.stats().submissions.byMode).toMatchObject({ [mode]: 1 });
  });

  it('answers a query on another mode path, by another key, or for an unknown id with 404/1200', async () => {
    const keys = [
      { accessKey: 'key-a', secretKey: 'secret-a' },
      { accessKey: 'key-b', secretKey: 'secret-b' },
    ];
    const emu = await useEmulator({ keys });
    const { task_id: id } = (await emu.call('POST', '/videos/text2video', { body: bodies.text2video })).json!.data;
    const notFound = { code: 1200, message: 'Resource not found', data: null };
    expect((await emu.call('GET', `/videos/image2video/${id}`)).json).toEqual(notFound);
    expect((await emu.call('GET', '/videos/text2video/00000000-0000-4000-8000-000000000000')).json).toEqual(notFound);
    const other = `Bearer ${await emu.token(keys[1])}`;
    const foreign = await emu.call('GET', `/status/${id}`, { auth: other });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual(notFound);
  });

  it.each(['/videos/text2video/', '/videos/multi2video', '/status/', '/status'])('GET %s → 400 Task Id is required.', async (path) => {
    const emu = await useEmulator();
    const answer = await emu.call('GET', path);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 1000, message: 'Task Id is required.', data: null });
  });

  it('counts polls', async () => {
    const emu = await useEmulator();
    const { task_id: id } = (await emu.call('POST', '/videos/text2video', { body: bodies.text2video })).json!.data;
    await emu.call('GET', `/status/${id}`);
    await emu.call('GET', `/videos/text2video/${id}`);
    expect(emu.stats().polls).toBe(2);
  });
});

describe('POST /submit (the seed sample code path)', () => {
  it.each(Object.entries(bodies))('a %s body: creates that task, the same request as on its own path', async (mode, body) => {
    const emu = await useEmulator();
    const submitted = await emu.call('POST', '/submit', { body });
    expect(submitted.status).toBe(200);
    const data = submitted.json!.data;
    expect(submitted.json).toEqual({ code: 200, message: 'Success', data, task_id: data.task_id, status: 'TASK_PENDING' });
    expect(await emu.waitForTask(data.task_id, { mode })).toMatchObject({ status: 'TASK_SUCCEEDED' });
    await emu.call('POST', `/videos/${mode}`, { body });
    const stats = emu.stats();
    expect(stats.requests.byRoute).toMatchObject({ submit: 1, create: 1 });
    expect(stats.submissions.byMode).toMatchObject({ [mode]: 2 });
    expect(Object.values(stats.submissions.byFingerprint)).toEqual([2]); // one request, whichever path
  });

  it('takes a body without image_url (or with null) as text-to-video; any other image_url as image-to-video', async () => {
    const emu = await useEmulator();
    const modeOf = async (body: Record<string, unknown>) => {
      const answer = await emu.call('POST', '/submit', { body });
      return answer.status === 200 ? emu.stats().tasks.find((task) => task.taskId === answer.json!.data.task_id)!.mode : answer.json!.message;
    };
    expect(await modeOf(textToVideoBody({ image_url: null }))).toBe('text2video');
    expect(await modeOf({ ...bodies.image2video, image_url: 42 })).toBe('Image URL must be a valid HTTP or HTTPS URL');
    expect(await modeOf({ ...bodies.image2video, image_url: '' })).toBe('Image URL must be a valid HTTP or HTTPS URL');
    expect(await modeOf({ ...bodies.multi2video, image_url: [] })).toBe('Image URL cannot be empty.');
    expect(await modeOf(textToVideoBody({ duration: 5 }))).toBe('Duration must be 6 seconds.');
    const notJson = await emu.call('POST', '/submit', { body: 'not json', headers: { 'content-type': 'application/json' } });
    expect(notJson.json).toMatchObject({ code: 1000, message: 'Request body must be a JSON object.' });
  });
});

describe('create: refusals', () => {
  it('answers each parameter problem with 400/1000 and the verbatim message, creating nothing', async () => {
    const emu = await useEmulator();
    const cases: [string, Record<string, unknown>, string][] = [
      ['text2video', { ...bodies.text2video, model_name: undefined }, 'Model name is required.'],
      ['text2video', { ...bodies.text2video, prompt: '' }, 'Prompt is required.'],
      ['multi2video', { ...bodies.multi2video, prompt: undefined }, 'Name is required.'],
      ['text2video', { ...bodies.text2video, duration: 5 }, 'Duration must be 6 seconds.'],
      ['image2video', { ...bodies.image2video, duration: 6 }, 'Duration must be between 1 and 5 seconds.'],
      ['image2video', { ...bodies.image2video, image_url: 'ftp://x/a.png' }, 'Image URL must be a valid HTTP or HTTPS URL'],
      ['multi2video', { ...bodies.multi2video, image_url: [URL_A, null] }, 'Image URL list element at index 1 cannot be null.'],
      ['multi2video', { ...bodies.multi2video, subject_name: undefined }, 'Subject name is required.'],
      ['text2video', { ...bodies.text2video, resolution: '4k', seed: -1 }, 'Resolution must be 720p or 1080p.'],
    ];
    for (const [mode, body, message] of cases) {
      const answer = await emu.call('POST', `/videos/${mode}`, { body });
      expect(answer.status, message).toBe(400);
      expect(answer.json, message).toEqual({ code: 1000, message, data: null });
    }
    expect(emu.stats().submissions.total).toBe(0);
  });

  it('answers a body that is not a JSON object with 400/1000', async () => {
    const emu = await useEmulator();
    for (const body of ['not json', '[1,2]', '"text"', '']) {
      const answer = await emu.call('POST', '/videos/text2video', { body, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ code: 1000, message: 'Request body must be a JSON object.', data: null });
    }
  });

  it('ignores unknown fields', async () => {
    const emu = await useEmulator();
    const answer = await emu.call('POST', '/videos/text2video', { body: { ...bodies.text2video, style: 'noir', extra: { nested: [1] } } });
    expect(answer.json?.code).toBe(200);
  });

  it('refuses sensitive words (case-insensitive, in prompt, negative and audio prompt) with 400/1001, after the parameter rules', async () => {
    const emu = await useEmulator({ sensitiveWords: ['Forbidden'] });
    const sensitive = { code: 1001, message: 'Sensitive content detected', data: null };
    for (const field of ['prompt', 'negative_prompt', 'audio_prompt']) {
      const answer = await emu.call('POST', '/videos/text2video', { body: { ...bodies.text2video, [field]: 'a FORBIDDEN thing' } });
      expect(answer.status, field).toBe(400);
      expect(answer.json, field).toEqual(sensitive);
    }
    const invalidToo = await emu.call('POST', '/videos/text2video', { body: { ...bodies.text2video, prompt: 'forbidden', duration: 4 } });
    expect(invalidToo.json?.message).toBe('Duration must be 6 seconds.');
  });

  it('applies plan limits (1300 duration, then 1301 resolution) after the sensitive-word check', async () => {
    const emu = await useEmulator({ plan: { maxDuration: 4, resolutions: ['720p'] }, sensitiveWords: ['nope'] });
    const image = bodies.image2video;
    const duration = await emu.call('POST', '/videos/image2video', { body: { ...image, duration: 5 } });
    expect(duration.status).toBe(403);
    expect(duration.json).toEqual({ code: 1300, message: 'Duration not supported by plan', data: null });
    const both = await emu.call('POST', '/videos/image2video', { body: { ...image, duration: 5, resolution: '1080p' } });
    expect(both.json?.code).toBe(1300);
    const resolution = await emu.call('POST', '/videos/image2video', { body: { ...image, duration: 4, resolution: '1080p' } });
    expect(resolution.status).toBe(403);
    expect(resolution.json).toEqual({ code: 1301, message: 'Resolution not supported by plan', data: null });
    const sensitiveFirst = await emu.call('POST', '/videos/image2video', { body: { ...image, prompt: 'nope', duration: 5 } });
    expect(sensitiveFirst.json?.code).toBe(1001);
    expect((await emu.call('POST', '/videos/image2video', { body: { ...image, duration: 4, resolution: '720p' } })).json?.code).toBe(200);
  });

  it('debits credits by seconds at creation, refuses with 403/1302 when short, after the plan checks', async () => {
    const emu = await useEmulator({ credits: 10, plan: { resolutions: ['720p'] } });
    expect((await emu.call('POST', '/videos/text2video', { body: bodies.text2video })).json?.code).toBe(200);
    expect(emu.stats().credits).toEqual({ remaining: 4, spent: 6, refunded: 0 });
    const short = await emu.call('POST', '/videos/text2video', { body: bodies.text2video });
    expect(short.status).toBe(403);
    expect(short.json).toEqual({ code: 1302, message: 'Insufficient credits', data: null });
    const planFirst = await emu.call('POST', '/videos/text2video', { body: { ...bodies.text2video, resolution: '1080p' } });
    expect(planFirst.json?.code).toBe(1301);
    expect((await emu.call('POST', '/videos/image2video', { body: { ...bodies.image2video, resolution: '720p', duration: 4 } })).json?.code).toBe(200);
    expect(emu.stats().credits.remaining).toBe(0);
    emu.configure({ credits: 12 });
    expect(emu.stats().credits.remaining).toBe(12);
  });
});
