import type { Plan } from '../plan/types.js';
import type { Output } from '../util/cli-context.js';
import type { Palette } from '../util/palette.js';
import { formatSummary } from './format-summary.js';
import { createPlainReporter, causeOf } from './plain-reporter.js';
import { applyProgressEvent, createProgressState, drawProgress, type ProgressState } from './progress-model.js';
import type { Reporter, ReporterEvent } from './reporter.js';

// On an interactive terminal (issue 15, item 4): the plan, then one block at the bottom of the screen
// redrawn in place — a header with the counts, the seconds and the time left, and the shots at work,
// cut to the terminal's height (progress-model.ts draws it; this file only paints). Above the block,
// lines that stay: what failed (once per cause), notices. Replaces the listr2 task list, which turned
// into a raw log past 25 shots. Plain ANSI (cursor up, clear to the end): no library needed for a
// block this simple, and nothing to load on the no-op path. The block is drawn from the first event
// on, never while the build asks whether to pay (commands/ask-to-pay.ts).

const REDRAW_MS = 250;

export function createLiveReporter(out: Output, err: Output, palette: Palette, now: () => number = Date.now): Reporter {
  const plain = createPlainReporter(out, err, palette, now);
  let state: ProgressState | null = null;
  let drawn = 0;
  let timer: NodeJS.Timeout | null = null;
  const causes = new Map<string, string>();
  const colours = { dim: palette.dim, bold: palette.bold, red: palette.red, cyan: palette.cyan };

  const clear = () => {
    if (drawn > 0) out.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };
  const paint = () => {
    if (!state) return;
    const lines = drawProgress(state, { nowMs: now(), columns: out.columns ?? 80, rows: out.rows ?? 24, ...colours });
    clear();
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  /** A line that stays: printed above the block. */
  const above = (text: string) => {
    clear();
    out.write(`${text}\n`);
    paint();
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  return {
    plan(plan: Plan, label: string) {
      plain.plan(plan, label);
      state = createProgressState(plan);
    },
    event(event: ReporterEvent) {
      if (!state) return;
      if (event.type === 'run:summary') {
        stop();
        clear();
        out.write(`\n${formatSummary(event.report, palette)}`);
        state = null;
        return;
      }
      if (!timer && state.total > 0) timer = setInterval(paint, REDRAW_MS);
      applyProgressEvent(state, event, now());
      if (event.type === 'shot:failed' && !event.willRetry) {
        const cause = causeOf(event.message, event.id);
        const first = causes.get(cause);
        if (first) above(`${palette.red('✗')} ${event.id}: failed (the same cause as ${first})`);
        else {
          causes.set(cause, event.id);
          above(`${palette.red('✗')} ${event.id}: ${cause}`);
        }
      } else if (event.type === 'notice') above(event.level === 'warn' ? palette.yellow(event.message) : event.message);
      else if (event.type === 'run:interrupted') above(palette.yellow('interrupted: no new submissions; recording what is in flight'));
      else if (event.type === 'api:in-doubt' || event.type === 'api:clock-skew') above(palette.yellow(event.reason));
    },
    message(level, text) {
      clear();
      plain.message(level, text);
      paint();
    },
    watch(event) {
      clear();
      plain.watch?.(event);
    },
    async close() {
      stop();
      clear();
    },
  };
}
