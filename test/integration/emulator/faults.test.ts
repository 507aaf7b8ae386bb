import { describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/index.js';
import { textToVideoBody, TINY_PNG, useEmulator, type TestEmulator } from '../../helpers/emulator.js';

// Fault injection: each fault's effect, that admin routes are never faulted, and that a seeded run
// repeats exactly even when its concurrent requests arrive in another order.

type Outcome = number | 'dropped';

async function send(emu: TestEmulator, method: string, path: string, body?: unknown): Promise<{ outcome: Outcome; json: any }> {
  try {
    const answer = await emu.call(method, path, body === undefined ? {} : { body });
    return { outcome: answer.status, json: answer.json };
  } catch {
    return { outcome: 'dropped', json: null };
  }
}

describe('faults', () => {
  it('error5xx answers 500/5000 without creating the task', async () => {
    const emu = await useEmulator({ faults: { error5xx: 1 } });
    const answer = await emu.call('POST', '/videos/text2video', { body: textToVideoBody() });
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ code: 5000, message: 'Internal server error', data: null });
    expect(emu.stats().submissions.total).toBe(0);
    expect(emu.stats().faults).toMatchObject({ error5xx: 1, total: 1 });
  });

  it('drop destroys the connection without an answer and without creating the task', async () => {
    const emu = await useEmulator({ faults: { drop: 1 } });
    await expect(emu.call('POST', '/videos/text2video', { body: textToVideoBody() })).rejects.toThrow();
    expect(emu.stats().submissions.total).toBe(0);
    expect(emu.stats().faults.drop).toBe(1);
    expect(emu.stats().requests.byStatus).toEqual({ dropped: 1 });
  });

  it('dropAfterCreate creates (and bills) the task, then drops the connection', async () => {
    const emu = await useEmulator({ credits: 60, faults: { dropAfterCreate: 1 } });
    await expect(emu.call('POST', '/videos/text2video', { body: textToVideoBody() })).rejects.toThrow();
    const stats = emu.stats();
    expect(stats.submissions.total).toBe(1);
    expect(stats.tasks).toHaveLength(1);
    expect(stats.credits.remaining).toBe(54);
    expect(stats.faults.dropAfterCreate).toBe(1);
    // The task exists and finishes: a client that knew its id could still fetch the result.
    const done = await emu.waitForTask(stats.tasks[0]!.taskId);
    expect(done.status).toBe('TASK_SUCCEEDED');
  });

  it('rateLimit429 answers a spurious 429/1800 with Retry-After; latency is counted', async () => {
    const emu = await useEmulator({ faults: { rateLimit429: 1, latencyMs: [5, 15] } });
    const answer = await emu.call('GET', '/status/whatever');
    expect(answer.status).toBe(429);
    expect(answer.json).toEqual({ code: 1800, message: 'Rate limit exceeded', data: null });
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(emu.stats()).toMatchObject({ rateLimited: 0, faults: { rateLimit429: 1, latency: 1, total: 2 } });
  });

  it('never faults admin routes; faults CDN downloads only with faults.cdn', async () => {
    const emu = await useEmulator();
    const form = new FormData();
    form.append('files', new Blob([TINY_PNG]), 'a.png');
    const url = (await emu.call('POST', '/batch-upload/submit-with-files', { body: form })).json!.data.images[0].url;
    emu.configure({ faults: { error5xx: 1 } });
    expect((await fetch(`${emu.origin}/_emulator/stats`)).status).toBe(200);
    expect((await fetch(`${emu.origin}/_emulator/config`)).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    emu.configure({ faults: { cdn: true } });
    expect((await fetch(url)).status).toBe(500);
    emu.configure({ faults: { error5xx: 0, drop: 1 } });
    await expect(fetch(url)).rejects.toThrow();
    expect((await fetch(`${emu.origin}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
  });

  it('repeats a seeded run exactly, whatever the order in which concurrent requests arrive', async () => {
    const faults = { seed: 'repeatable', error5xx: 0.2, drop: 0.1, dropAfterCreate: 0.15, taskFailed: 0.3, rateLimit429: 0.1 };
    const forward = await runWorkload({ faults }, (ids) => ids);
    const shuffled = await runWorkload({ faults }, (ids) => shuffle(ids));
    expect(shuffled.outcomes).toEqual(forward.outcomes);
    expect(shuffled.faults).toEqual(forward.faults);
    expect(shuffled.byFingerprint).toEqual(forward.byFingerprint);
    // The workload does meet every kind of fault, so the comparison means something.
    for (const kind of ['error5xx', 'drop', 'dropAfterCreate', 'taskFailed', 'rateLimit429'] as const) {
      expect(forward.faults[kind], kind).toBeGreaterThan(0);
    }
    const otherSeed = await runWorkload({ faults: { ...faults, seed: 'another' } }, (ids) => ids);
    expect(otherSeed.outcomes).not.toEqual(forward.outcomes);
  });
});

/**
 * 24 shots, all at once in the given order; each is submitted up to 3 times (until accepted). Once
 * every task has ended (watched through stats(), which is never faulted), each accepted task is
 * polled 3 times. Returns what the client saw per shot: create outcomes, then poll outcomes.
 */
async function runWorkload(options: EmulatorOptions, order: (ids: number[]) => number[]) {
  const emu = await useEmulator({ ...options, processingMs: 30, concurrencyPerKey: 24 });
  const outcomes: Record<string, (Outcome | string)[]> = {};
  const accepted = new Map<number, string>();
  const shots = order(Array.from({ length: 24 }, (_, i) => i));
  await Promise.all(
    shots.map(async (shot) => {
      const seen: (Outcome | string)[] = (outcomes[`shot-${shot}`] = []);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const created = await send(emu, 'POST', '/videos/text2video', textToVideoBody({ seed: shot }));
        seen.push(created.outcome);
        if (created.outcome === 200) {
          accepted.set(shot, created.json.data.task_id);
          break;
        }
      }
    }),
  );
  while (emu.stats().tasks.some((task) => task.status === 'TASK_PENDING' || task.status === 'TASK_PROCESSING')) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(
    shots.map(async (shot) => {
      const id = accepted.get(shot);
      if (!id) return;
      for (let poll = 0; poll < 3; poll += 1) {
        const answer = await send(emu, 'GET', `/status/${id}`);
        outcomes[`shot-${shot}`]!.push(answer.json?.data ? `${answer.outcome}:${answer.json.data.status}` : answer.outcome);
      }
    }),
  );
  const stats = emu.stats();
  return { outcomes, faults: stats.faults, byFingerprint: stats.submissions.byFingerprint };
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = (i * 7 + 3) % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
