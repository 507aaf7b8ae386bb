import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/util/clock.js';
import { fail, ok } from '../../helpers/scripted-server.js';
import { testdir } from '../../helpers/testdir.js';
import { setupClient } from './setup.js';

// Abort stops everything: the request in flight, the wait before a retry, the wait at the rate gate.
// Each test aborts from inside the scenario (when the server sees the request, when the client reports
// a retry), so none depends on timing.

const body = { prompt: 'x' };
const isAbort = (error: unknown) => (error as { name?: string }).name === 'AbortError';

describe('abort', () => {
  it('stops a request in flight and does not retry it', async () => {
    const controller = new AbortController();
    const { client, server, events } = await setupClient(() => {
      controller.abort();
      return { ...ok({ task_id: 't' }), delayMs: 30_000 };
    });
    const error = await client.createTask('text-to-video', body, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('stops the wait before a retry (real sleep, Retry-After of an hour… almost)', async () => {
    const controller = new AbortController();
    const { client, server } = await setupClient(() => fail(429, 1800, 'Rate limit exceeded', { 'retry-after': '100' }), {
      clock: systemClock,
      onEvent: () => controller.abort(),
    });
    const error = await client.getTask('text-to-video', 't', { signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a request waiting at the rate gate, and the others still go', async () => {
    let first = true;
    let reportLimited = () => {};
    const limitedSeen = new Promise<void>((resolve) => {
      reportLimited = resolve;
    });
    const { client, server } = await setupClient(
      () => {
        if (!first) return ok({ task_id: 't', status: 'TASK_PENDING' });
        first = false;
        return fail(429, 1800, 'Rate limit exceeded', { 'retry-after': '1' });
      },
      { clock: systemClock, onEvent: () => reportLimited() },
    );
    const limited = client.getTask('text-to-video', 'a'); // gets the 429: everything pauses for 1 s
    await limitedSeen;
    const controller = new AbortController();
    const waiting = client.getTask('text-to-video', 'b', { signal: controller.signal }); // queued at the gate
    controller.abort();
    expect(isAbort(await waiting.catch((e: unknown) => e))).toBe(true);
    expect(await limited).toMatchObject({ status: 'TASK_PENDING' });
    expect(server.requests.map((r) => r.path)).toEqual(['/api/vdr/videos/text2video/a', '/api/vdr/videos/text2video/a']);
  });

  it('stops a download mid-body and removes the partial file', async () => {
    const controller = new AbortController();
    const { client, server } = await setupClient(() => {
      setTimeout(() => controller.abort(), 20);
      return { status: 200, generate: { size: 200 * 1024 * 1024 } };
    });
    const dest = join(await testdir(), 'v.tmp');
    const error = await client.download(`${server.origin}/cdn/v.mp4`, dest, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects at once when the signal has already fired', async () => {
    const { client, server } = await setupClient(() => ok({ task_id: 't' }));
    const error = await client.createTask('text-to-video', body, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses calls after close()', async () => {
    const { client } = await setupClient(() => ok({ task_id: 't' }));
    await client.close();
    await expect(client.getTask('text-to-video', 't')).rejects.toThrow('closed');
  });
});
