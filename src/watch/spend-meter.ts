import type { Plan } from '../plan/types.js';
import type { Reporter, ReporterEvent } from '../report/reporter.js';

// What a run actually spent, for the session budget (--max-seconds across runs). Counted from the
// executor's events as they pass to the reporter: a shot's seconds are spent the moment the API
// accepts its create request (`submitting` followed by `pending` with a task id). That counts what
// the user pays for even when the result is not placed — a shot edited while rendering, whose video
// goes to the cache only — and every re-submission after TASK_FAILED. Resumed tasks (paid for by an
// earlier run, `pending` without `submitting`) and restores from the cache cost nothing.
//
// NOTE: a create request retried after a lost answer may have been billed twice; the events do not
// say for which shot, so it is counted once (the build's summary names such shots).

export interface SpendMeter {
  /** The run's reporter, wrapped: everything is passed through unchanged. */
  reporter: Reporter;
  /** Seconds accepted by the API during this run. */
  spentSeconds(): number;
  /** The plan this run printed, once it has. */
  plan(): Plan | undefined;
}

export function createSpendMeter(inner: Reporter): SpendMeter {
  let plan: Plan | undefined;
  let spent = 0;
  const durations = new Map<string, number>();
  const submitting = new Set<string>();
  const count = (event: ReporterEvent) => {
    if (event.type !== 'shot:status') return;
    if (event.status === 'submitting') submitting.add(event.id);
    else if (event.status === 'pending' && event.taskId && submitting.delete(event.id)) spent += durations.get(event.id) ?? 0;
  };
  const reporter: Reporter = {
    plan(next, label) {
      plan = next;
      for (const shot of next.shots) durations.set(shot.shot.id, shot.shot.duration);
      inner.plan(next, label);
    },
    event(event) {
      count(event);
      inner.event(event);
    },
    message: (level, text) => inner.message(level, text),
    watch: (event) => inner.watch?.(event),
    close: () => inner.close(),
  };
  return { reporter, spentSeconds: () => spent, plan: () => plan };
}
