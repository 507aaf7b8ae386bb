import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTaskDurations, MAX_KINDS, readTaskDurations, TaskDurations, WINDOW, writeTaskDurations } from '../../../src/state/task-durations.js';

// `.bach/task-durations.json`: what the adaptive poller learned. Read through a shape check: a file
// that is not exactly what bach-render writes is ignored as a whole, with a warning.

const KIND = { mode: 'text-to-video' as const, resolution: '720p', duration: 5 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bach-durations-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('task durations file', () => {
  it('round-trips what a build learned, keeping the last WINDOW per kind', async () => {
    const durations = new TaskDurations();
    for (let i = 1; i <= WINDOW + 5; i++) durations.add(KIND, { lowMs: i * 100 - 50.4, highMs: i * 100 + 0.4 });
    await writeTaskDurations(dir, durations);
    const read = await readTaskDurations(dir);
    expect(read.warning).toBeUndefined();
    const samples = read.durations.samplesFor(KIND);
    expect(samples).toHaveLength(WINDOW);
    expect(samples[0]).toEqual({ lowMs: 550, highMs: 600 });
    expect(samples.at(-1)).toEqual({ lowMs: (WINDOW + 5) * 100 - 50, highMs: (WINDOW + 5) * 100 });
    expect(read.durations.samplesFor({ ...KIND, duration: 10 })).toEqual([]);
  });

  it('keeps at most MAX_KINDS kinds, dropping the least recently used', () => {
    const durations = new TaskDurations();
    for (let i = 1; i <= MAX_KINDS + 1; i++) durations.add({ ...KIND, duration: i }, { lowMs: 0, highMs: 1_000 });
    expect(durations.samplesFor({ ...KIND, duration: 1 })).toEqual([]);
    expect(durations.samplesFor({ ...KIND, duration: MAX_KINDS + 1 })).toEqual([{ lowMs: 0, highMs: 1_000 }]);
    expect(Object.keys((JSON.parse(durations.toJson()) as { kinds: object }).kinds)).toHaveLength(MAX_KINDS);
  });

  it('a missing file is nothing learned, without a warning; nothing learned writes no file', async () => {
    const read = await readTaskDurations(dir);
    expect(read.warning).toBeUndefined();
    await writeTaskDurations(dir, read.durations);
    await expect(readFile(join(dir, 'task-durations.json'), 'utf8')).rejects.toThrow();
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['an array', '[]'],
    ['another version', '{"version":3,"kinds":{}}'],
    ['a key that is no kind', '{"version":1,"kinds":{"../../x":[1000]}}'],
    ['an unknown mode', '{"version":1,"kinds":{"text2video|720p|5":[1000]}}'],
    ['a duration that is a string', '{"version":1,"kinds":{"text-to-video|720p|5":["1000"]}}'],
    ['a negative duration', '{"version":1,"kinds":{"text-to-video|720p|5":[-5]}}'],
    ['a duration of more than a day', '{"version":1,"kinds":{"text-to-video|720p|5":[90000000]}}'],
    ['too many durations', `{"version":1,"kinds":{"text-to-video|720p|5":[${Array(WINDOW + 1).fill(1000).join(',')}]}}`],
    ['an empty list', '{"version":1,"kinds":{"text-to-video|720p|5":[]}}'],
    ['a bare number in a version 2 file', '{"version":2,"kinds":{"text-to-video|720p|5":[1000]}}'],
    ['a bracket whose low is above its high', '{"version":2,"kinds":{"text-to-video|720p|5":[[1200,1000]]}}'],
    ['a bracket of three numbers', '{"version":2,"kinds":{"text-to-video|720p|5":[[900,1000,1100]]}}'],
    ['a bracket with a negative low', '{"version":2,"kinds":{"text-to-video|720p|5":[[-1,1000]]}}'],
  ])('a file with %s is ignored as a whole, with a warning naming the file', async (_name, text) => {
    // One good kind beside the bad part: still nothing of the file is used.
    const good = text.includes('"version":2') ? '[[4000,5000],[5000,6000],[0,7000]]' : '[5000,6000,7000]';
    const withGood = text.replace('"kinds":{', `"kinds":{"image-to-video|1080p|10":${good},`);
    for (const content of [text, withGood]) {
      await writeFile(join(dir, 'task-durations.json'), content);
      const read = await readTaskDurations(dir);
      expect(read.warning).toMatch(/task-durations\.json is ignored \(.+\): polls follow the fixed interval/);
      expect(read.durations.samplesFor({ mode: 'image-to-video', resolution: '1080p', duration: 10 })).toEqual([]);
      expect(read.durations.samplesFor(KIND)).toEqual([]);
    }
  });

  it('the shape check accepts exactly what the writer writes', () => {
    const durations = new TaskDurations();
    durations.add(KIND, { lowMs: 4_900, highMs: 5_000 });
    durations.add({ mode: 'multi-image-to-video', resolution: '1080p', duration: 7.5 }, { lowMs: 0, highMs: 9_000 });
    const checked = checkTaskDurations(JSON.parse(durations.toJson()));
    expect('kinds' in checked && [...checked.kinds.keys()]).toEqual(['text-to-video|720p|5', 'multi-image-to-video|1080p|7.5']);
  });

  it('reads a version 1 file (one number per task, from an earlier release) as exact durations', async () => {
    await writeFile(join(dir, 'task-durations.json'), '{"version":1,"kinds":{"text-to-video|720p|5":[5000,6100]}}');
    const read = await readTaskDurations(dir);
    expect(read.warning).toBeUndefined();
    expect(read.durations.samplesFor(KIND)).toEqual([
      { lowMs: 5_000, highMs: 5_000 },
      { lowMs: 6_100, highMs: 6_100 },
    ]);
  });

  it('refuses a bracket that is no bracket when adding', () => {
    const durations = new TaskDurations();
    durations.add(KIND, { lowMs: 2_000, highMs: 1_000 });
    durations.add(KIND, { lowMs: -1, highMs: 1_000 });
    durations.add(KIND, { lowMs: 0, highMs: Number.NaN });
    expect(durations.samplesFor(KIND)).toEqual([]);
    expect(durations.isChanged).toBe(false);
  });

  it('summaryFor computes again only after the kind gained a sample, and keeps kinds apart', () => {
    const durations = new TaskDurations();
    const other = { ...KIND, duration: 10 };
    let calls = 0;
    const count = (samples: readonly { highMs: number }[]) => (calls++, samples.map((s) => s.highMs));
    durations.add(KIND, { lowMs: 0, highMs: 1_000 });
    durations.add(other, { lowMs: 0, highMs: 2_000 });
    expect(durations.summaryFor(KIND, count)).toEqual([1_000]);
    expect(durations.summaryFor(KIND, count)).toEqual([1_000]);
    expect(durations.summaryFor(other, count)).toEqual([2_000]);
    expect(calls).toBe(2);
    durations.add(KIND, { lowMs: 900, highMs: 1_100 });
    expect(durations.summaryFor(KIND, count)).toEqual([1_000, 1_100]);
    expect(durations.summaryFor(other, count)).toEqual([2_000]);
    expect(calls).toBe(3);
  });
});
