import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createRateGate, type GatePriority, type RateGate } from '../../../src/api/rate-gate.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { Journal } from '../../../src/state/journal.js';
import { startSubmitter } from '../../../src/submitter/host.js';
import { testdir } from '../../helpers/testdir.js';
import { VirtualTime } from '../../unit/api/virtual-time.js';

// Issue 14 item 3: the submitter process sends its creates with the build's key, so it takes each
// create's slot from the build's rate gate (over IPC), ahead of the build's polls, and reports the
// answer back. The real child process against the real emulator; the gate's time is virtual, so the
// order is decided by the gate alone, however long the child takes to start.

describe('the submitter and the build share one rate gate', () => {
  it("a create waiting behind many polls goes first, and its answer reaches the build's gate", async () => {
    const emulator = await startEmulator({ port: 0, processingMs: 50 });
    onTestFinished(() => emulator.close());
    const root = await testdir();
    const journalDir = join(root, '.bach', 'journal');
    const time = new VirtualTime();
    const gate = createRateGate({ clock: time.clock, control: { startFloor: 10 } });
    gate.recordRateLimited(await gate.acquire(), 1000); // the key is paused for 1 s, then paced

    const released: GatePriority[] = [];
    let answered = 0;
    let createAsked!: () => void;
    const createWaiting = new Promise<void>((resolve) => (createAsked = resolve));
    const watched: RateGate = {
      ...gate,
      acquire(signal, priority = 'query') {
        if (priority === 'create') createAsked();
        return gate.acquire(signal, priority).then((permit) => (released.push(priority), permit));
      },
      recordAnswered(permit) {
        answered += 1;
        gate.recordAnswered(permit);
      },
    };
    const polls = Array.from({ length: 20 }, () => watched.acquire(undefined, 'query'));

    const submitter = startSubmitter({
      baseUrl: emulator.url,
      credentials: { accessKey: emulator.accessKey, secretKey: emulator.secretKey },
      journalDir,
      stateDir: join(root, '.bach'),
      gate: watched,
    });
    onTestFinished(() => submitter.close());
    const journal = new Journal(journalDir);
    const request = { model_name: 'bach-1.0-preview', prompt: 'a lighthouse', resolution: '720p', duration: 6 } as const;
    const entry = journal.recordSubmitting({ shotId: 'one', fingerprint: 'a'.repeat(64), mode: 'text-to-video', request, seed: 1 });
    const created = submitter.createTask('text-to-video', request, entry);

    await createWaiting; // the child asked the build's gate; nothing has been released yet
    expect(released).toEqual([]);
    await time.run(1000 + 1); // the pause ends: one slot
    const result = await created;
    expect(result.created.taskId).toMatch(/\S/);
    expect(released[0]).toBe('create');
    expect(answered).toBe(1);
    expect(emulator.stats().submissions.total).toBe(1);
    await time.run(10_000);
    await Promise.all(polls);
    expect(released.filter((p) => p === 'query')).toHaveLength(20);
  });
});
