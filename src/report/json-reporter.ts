import type { Output } from '../util/cli-context.js';
import { createPlanJson } from '../plan/plan-json.js';
import type { Plan } from '../plan/types.js';
import type { Reporter, ReporterEvent } from './reporter.js';

// `--reporter json`: one JSON object per line on stdout (NDJSON), each with `type` and `time`
// (milliseconds since the build started). The plan is `{type: "plan", plan: <plan JSON>}`; the last
// line is `{type: "run:summary", report}`. Documented in README "JSON events".

export function createJsonReporter(out: Output, now: () => number = Date.now): Reporter {
  const started = now();
  const write = (value: Record<string, unknown>) => out.write(`${JSON.stringify({ ...value, time: now() - started })}\n`);
  return {
    plan(plan: Plan, label: string) {
      write({ type: 'plan', plan: createPlanJson(plan, label) });
    },
    event(event: ReporterEvent) {
      write({ ...event });
    },
    message(level, text) {
      write({ type: 'message', level, message: text });
    },
    watch(event) {
      write({ ...event });
    },
    async close() {},
  };
}
