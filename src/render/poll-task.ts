import type { BachApi, TaskState } from '../api/types.js';
import type { Mode } from '../manifest/types.js';
import type { Clock } from '../util/clock.js';

// Polls one task until it ends. The interval (default 10 s, the API's advice) gets ±10% jitter so
// that many tasks started together do not poll in lock-step; retries of a failed poll are the API
// client's business (its single retry layer), not this loop's.

export interface PollOptions {
  intervalMs: number;
  signal: AbortSignal;
  clock: Clock;
  onStatus?: (state: TaskState) => void;
}

export async function pollUntilDone(api: BachApi, mode: Mode, taskId: string, options: PollOptions): Promise<TaskState> {
  const { clock, signal } = options;
  for (;;) {
    const jitter = 1 + (clock.random() * 0.2 - 0.1);
    await clock.sleep(Math.max(10, options.intervalMs * jitter), signal);
    const state = await api.getTask(mode, taskId, { signal });
    options.onStatus?.(state);
    if (state.status === 'TASK_SUCCEEDED' || state.status === 'TASK_FAILED') return state;
  }
}
