import { describe, expect, it } from 'vitest';
import { createRunScheduler, type RunSchedulerOptions, type SchedulerTimers } from '../../../src/watch/run-scheduler.js';

// The scheduler on virtual time: timers fire only when the test advances the clock, and each run
// lasts until the test finishes it. So "10 saves within 50 ms → one run" and "changes during a run
// → exactly one follow-up" are checked exactly, without sleeping.

class ManualTimers implements SchedulerTimers {
  now = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private next = 1;
  set(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }
  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves time forward, firing due timers in order, and lets promise chains settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await flush();
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
    await flush();
  }
  get pending(): number {
    return this.timers.size;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

function setup(overrides: Partial<RunSchedulerOptions> = {}) {
  const timers = new ManualTimers();
  const runs: string[][] = [];
  const settledDuringRun: string[][] = [];
  const errors: unknown[] = [];
  let finish: (() => void) | undefined;
  const scheduler = createRunScheduler({
    debounceMs: 100,
    timers,
    run: (changes) => {
      runs.push(changes);
      return new Promise<void>((resolve) => (finish = resolve));
    },
    onSettledDuringRun: (changes) => void settledDuringRun.push(changes),
    onError: (error) => errors.push(error),
    ...overrides,
  });
  const finishRun = async () => {
    finish?.();
    finish = undefined;
    await flush();
  };
  return { timers, runs, settledDuringRun, errors, scheduler, finishRun };
}

describe('createRunScheduler', () => {
  it('starts one run debounceMs after the last change of a burst (10 changes within 50 ms → one run)', async () => {
    const { timers, runs, scheduler } = setup();
    for (let i = 0; i < 10; i += 1) {
      scheduler.notify([i % 2 === 0 ? 'bach.yaml' : 'frames/a.png']);
      await timers.advance(5);
    }
    expect(runs).toEqual([]);
    expect(scheduler.state).toBe('waiting');
    await timers.advance(94);
    expect(runs).toEqual([]);
    await timers.advance(1);
    expect(runs).toEqual([['bach.yaml', 'frames/a.png']]);
    expect(scheduler.state).toBe('running');
  });

  it('every change restarts the wait', async () => {
    const { timers, runs, scheduler } = setup();
    scheduler.notify(['a']);
    await timers.advance(90);
    scheduler.notify(['b']);
    await timers.advance(90);
    expect(runs).toEqual([]);
    await timers.advance(10);
    expect(runs).toEqual([['a', 'b']]);
  });

  it('changes during a run cause exactly one follow-up run, carrying all of them', async () => {
    const { timers, runs, settledDuringRun, scheduler, finishRun } = setup();
    scheduler.runNow();
    await flush();
    expect(runs).toEqual([[]]);
    scheduler.notify(['a']);
    await timers.advance(150);
    scheduler.notify(['b']);
    await timers.advance(150);
    scheduler.notify(['a', 'c']);
    await timers.advance(150);
    expect(runs).toHaveLength(1);
    expect(settledDuringRun).toEqual([['a'], ['a', 'b'], ['a', 'b', 'c']]);
    await finishRun();
    expect(runs).toEqual([[], ['a', 'b', 'c']]);
    await finishRun();
    await timers.advance(1000);
    expect(runs).toHaveLength(2);
    expect(scheduler.state).toBe('idle');
  });

  it('never overlaps runs: a burst still settling when a run ends starts the follow-up itself', async () => {
    const { timers, runs, scheduler, finishRun } = setup();
    scheduler.runNow();
    await flush();
    scheduler.notify(['a']);
    await timers.advance(100); // settled during the run: dirty
    scheduler.notify(['b']); // a new burst, not settled yet
    await timers.advance(50);
    await finishRun();
    expect(runs).toHaveLength(1); // waits for the burst instead of running twice
    expect(scheduler.state).toBe('waiting');
    await timers.advance(50);
    expect(runs).toEqual([[], ['a', 'b']]);
    await finishRun();
    await timers.advance(1000);
    expect(runs).toHaveLength(2);
  });

  it('a run that rejects is reported and does not stop the scheduler', async () => {
    const errors: unknown[] = [];
    const runs: string[][] = [];
    const timers = new ManualTimers();
    const scheduler = createRunScheduler({
      debounceMs: 100,
      timers,
      run: async (changes) => {
        runs.push(changes);
        if (runs.length === 1) throw new Error('boom');
      },
      onError: (error) => errors.push(error),
    });
    scheduler.notify(['a']);
    await timers.advance(100);
    expect(errors).toHaveLength(1);
    expect(scheduler.state).toBe('idle');
    scheduler.notify(['b']);
    await timers.advance(100);
    expect(runs).toEqual([['a'], ['b']]);
    expect(errors).toHaveLength(1);
  });

  it('a failing onSettledDuringRun is reported; the follow-up still runs', async () => {
    const { timers, runs, errors, scheduler, finishRun } = setup({
      onSettledDuringRun: () => Promise.reject(new Error('load failed')),
    });
    scheduler.runNow();
    await flush();
    scheduler.notify(['a']);
    await timers.advance(100);
    expect(errors).toHaveLength(1);
    await finishRun();
    expect(runs).toEqual([[], ['a']]);
  });

  it('stop() cancels a pending debounce, waits for the run in progress and starts nothing after', async () => {
    const { timers, runs, scheduler, finishRun } = setup();
    scheduler.runNow();
    await flush();
    scheduler.notify(['a']);
    await timers.advance(100); // dirty
    scheduler.notify(['b']);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    expect(timers.pending).toBe(0);
    await finishRun();
    await stopping;
    expect(stopped).toBe(true);
    scheduler.notify(['c']);
    scheduler.runNow();
    await flush();
    await timers.advance(1000);
    expect(runs).toEqual([[]]);
    expect(scheduler.state).toBe('stopped');
  });

  it('runNow() folds pending changes into the run and is ignored while a run is in progress', async () => {
    const { timers, runs, scheduler, finishRun } = setup();
    scheduler.notify(['a']);
    scheduler.runNow();
    await flush();
    expect(runs).toEqual([['a']]);
    scheduler.runNow();
    await flush();
    await timers.advance(1000);
    expect(runs).toHaveLength(1);
    await finishRun();
    expect(runs).toHaveLength(1);
  });
});
