import type { Plan } from '../plan/types.js';
import type { Reporter } from '../report/reporter.js';

// What a run actually spent, for the session budget (--max-seconds across runs): the executor's
// `shot:submitted` events, each sent the moment the API accepts a create request. That counts what
// the user pays for even when the result is not placed — a shot edited while rendering, whose video
// goes to the cache only — and every re-submission after TASK_FAILED. Resumed tasks (paid for by an
// earlier run) and restores from the cache are not submissions and cost nothing.
//
// NOTE: a create request retried after a lost answer may have been billed twice; the API cannot say
// whether it was, so it is counted once (the build's summary names such shots).

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
  const reporter: Reporter = {
    plan(next, label) {
      plan = next;
      inner.plan(next, label);
    },
    event(event) {
      if (event.type === 'shot:submitted') spent += event.seconds;
      inner.event(event);
    },
    message: (level, text) => inner.message(level, text),
    watch: (event) => inner.watch?.(event),
    close: () => inner.close(),
  };
  return { reporter, spentSeconds: () => spent, plan: () => plan };
}
