import { describe, expect, it, onTestFinished } from 'vitest';
import { createApiClient } from '../../../src/api/client.js';
import type { ApiEvent } from '../../../src/api/types.js';
import { startEmulator } from '../../../src/emulator/index.js';

// A client whose clock is wrong, against the real emulator (which checks nbf and exp by its own clock,
// with no tolerance beyond the token's 5 s of grace): 6 s fast, every token was "not valid yet" (1102)
// and every request failed. The client now dates its tokens by the server's clock (its Date header)
// after the first refusal, retries, and says so once. The test's fast clock is 8 s ahead, not 6: token
// times are whole seconds, so 6 s ahead is only 1 s past the grace, and when signing and checking fall
// in different seconds (a loaded machine) the token was accepted and nothing was refused — the test
// failed about 1 run in 7 with nothing wrong. 8 s is refused whatever the rounding.

const BODY = { model_name: 'bach-1.0-preview', prompt: 'A quiet lake', resolution: '720p', aspect_ratio: '16:9', duration: 6, fps: 24, seed: 1 };

async function skewedClient(skewMs: number) {
  const emulator = await startEmulator({ processingMs: 20 });
  onTestFinished(() => emulator.close());
  const events: ApiEvent[] = [];
  const client = createApiClient({
    baseUrl: emulator.url,
    credentials: { accessKey: emulator.accessKey, secretKey: emulator.secretKey },
    clock: { now: () => Date.now() + skewMs },
    retry: { baseDelayMs: 10 },
    onEvent: (event) => events.push(event),
  });
  onTestFinished(() => client.close());
  return { emulator, client, events };
}

describe('a client whose clock is wrong', () => {
  it.each([
    ['8 s fast', 8_000, /about 8 s ahead of the API server's/, []],
    // First taken for an expired token (renewed, as usual), then — expired again at once — for the clock.
    ['20 minutes slow (older than a token lives)', -20 * 60_000, /about 1200 s behind the API server's/, ['HTTP 401 (code 1103): Token expired']],
  ])('%s: the requests succeed, and it is said once', async (_name, skewMs, notice, retries) => {
    const { emulator, client, events } = await skewedClient(skewMs);
    const created = await client.createTask('text-to-video', BODY);
    expect(created.inDoubtRetried).toBe(false);
    for (let i = 0; i < 3; i++) await client.getTask('text-to-video', created.taskId);
    expect(emulator.stats().submissions.total).toBe(1);
    const skew = events.filter((event) => event.type === 'api:clock-skew');
    expect(skew).toHaveLength(1);
    expect(skew[0]!.reason).toMatch(notice);
    expect(events.filter((event) => event.type !== 'api:clock-skew').map((event) => event.reason)).toEqual(retries);
  });

  it('a correct clock is never corrected', async () => {
    const { client, events } = await skewedClient(0);
    await client.createTask('text-to-video', BODY);
    expect(events).toEqual([]);
  });
});
