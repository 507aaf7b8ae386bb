import { describe, expect, it } from 'vitest';
import type { BachApi, TaskState } from '../../../src/api/types.js';
import type { DurationSummary } from '../../../src/render/poll-schedule.js';
import { MAX_POLLS_BEFORE_LEARNED, pollUntilDone, type PollResult } from '../../../src/render/poll-task.js';
import { createFakeClock } from '../../helpers/fake-clock.js';

// The poll loop on a fake clock, against a task that ends at a set time: when it polls (the
// schedule's answers, slept for real on virtual time) and what duration it measures.

const LEARNED: DurationSummary = { count: 32, meanMs: 6_000, sdMs: 1_040, maxMs: 7_800 };

/** What is learned: fixed, or by the number of polls the task has had so far (learned meanwhile). */
type Learned = DurationSummary | undefined | ((pollsSoFar: number) => DurationSummary | undefined);

async function follow(
  endMs: number,
  learned: Learned,
  { acceptedKnown = true, intervalMs = 1_000 }: { acceptedKnown?: boolean; intervalMs?: number } = {},
): Promise<PollResult & { pollsAtMs: number[] }> {
  const clock = createFakeClock();
  const start = clock.now();
  const pollsAtMs: number[] = [];
  const api = {
    async getTask(): Promise<TaskState> {
      pollsAtMs.push(clock.now() - start);
      return clock.now() - start >= endMs ? ({ status: 'TASK_SUCCEEDED', videoUrl: 'https://cdn.example/v.mp4' } as TaskState) : ({ status: 'TASK_PROCESSING' } as TaskState);
    },
  } as unknown as BachApi;
  let result: PollResult | undefined;
  const polling = pollUntilDone(api, 'text-to-video', 'task-1', {
    intervalMs,
    signal: new AbortController().signal,
    clock,
    acceptedAt: acceptedKnown ? start : undefined,
    learned: () => (typeof learned === 'function' ? learned(pollsAtMs.length) : learned),
  }).then((r) => (result = r));
  while (result === undefined) await clock.advance(10);
  await polling;
  return { ...result, pollsAtMs };
}

describe('pollUntilDone', () => {
  it('with nothing learned polls every interval and times the task by its bracket: the last poll that saw it running, the answer that saw it done', async () => {
    const result = await follow(6_500, undefined);
    expect(result.pollsAtMs).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000]);
    expect(result).toMatchObject({ polls: 7, sample: { lowMs: 6_000, highMs: 7_000 } });
  });

  it('with durations learned polls near the expected end', async () => {
    const result = await follow(6_500, LEARNED);
    expect(result.pollsAtMs).toEqual([4_960, 5_960, 6_960]);
    expect(result.sample).toEqual({ lowMs: 5_960, highMs: 6_960 });
  });

  it('a task already done at its first poll is known only to have ended by it: its bracket starts at the acceptance', async () => {
    const result = await follow(4_000, LEARNED);
    expect(result.pollsAtMs).toEqual([4_960]);
    expect(result.sample).toEqual({ lowMs: 0, highMs: 4_960 });
  });

  it('asks what is learned before every poll: a task started with nothing learned aims at the expected end once something is', async () => {
    // Learned only after the task's second poll (the first wave's tasks ended meanwhile).
    const { pollsAtMs } = await follow(6_500, (polls) => (polls >= 2 ? LEARNED : undefined));
    expect(pollsAtMs).toEqual([1_000, 2_000, 4_960, 5_960, 6_960]);
  });

  it(`a task polled more than ${MAX_POLLS_BEFORE_LEARNED} times at the fixed interval keeps it when something is learned (the per-minute cap would hold its next poll back)`, async () => {
    const steady: DurationSummary = { count: 6, meanMs: 1_500, sdMs: 15, maxMs: 1_530 };
    const { pollsAtMs } = await follow(1_520, (polls) => (polls >= 20 ? steady : undefined), { intervalMs: 50 });
    expect(pollsAtMs.at(-1)).toBeLessThan(1_600);
    expect(pollsAtMs.slice(1).map((at, i) => at - pollsAtMs[i]!).every((gap) => gap === 50)).toBe(true);
  });

  it('a task whose start is unknown (resumed) is polled at the fixed interval and not timed', async () => {
    const result = await follow(2_500, LEARNED, { acceptedKnown: false });
    expect(result.pollsAtMs).toEqual([1_000, 2_000, 3_000]);
    expect(result.sample).toBeUndefined();
  });
});
