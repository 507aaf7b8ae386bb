import { Listr, PRESET_TIMER, type ListrTaskWrapper, type DefaultRenderer, type SimpleRenderer } from 'listr2';
import type { Output } from '../util/cli-context.js';
import type { Plan } from '../plan/types.js';
import type { RunReport } from '../render/events.js';
import type { Palette } from '../util/palette.js';
import { formatSummary } from './format-summary.js';
import { createPlainReporter } from './plain-reporter.js';
import type { Reporter, ReporterEvent } from './reporter.js';
import type { WatchEvent } from './watch-events.js';

// On an interactive terminal: a listr2 row per shot with work (uploading, submitting, pending,
// processing, downloading, done, cached, failed) and its elapsed time. listr2 is only a view — each
// row awaits a promise that the executor's events settle; it runs nothing and throttles nothing.
// Past MAX_ROWS shots a screen of rows helps nobody (and redrawing it costs CPU): then the plain
// line-per-event view is used instead.

const MAX_ROWS = 25;

type Row = {
  task?: ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;
  settle: (error?: Error) => void;
  settled: boolean;
  title: string;
};

export function createListrReporter(out: Output, err: Output, palette: Palette): Reporter {
  const plain = createPlainReporter(out, err, palette);
  const rows = new Map<string, Row>();
  let upload: Row | undefined;
  let running: Promise<unknown> | undefined;
  let fallback = false;
  let summary: RunReport | undefined;
  const held: ReporterEvent[] = [];
  const heldWatch: WatchEvent[] = [];

  const setTitle = (row: Row | undefined, text: string) => {
    if (!row) return;
    row.title = text;
    if (row.task) row.task.title = text;
  };
  const settle = (row: Row | undefined, error?: Error) => {
    if (!row || row.settled) return;
    row.settled = true;
    row.settle(error);
  };
  const makeRow = (title: string) => {
    const row: Row = { settle: () => {}, settled: false, title };
    const done = new Promise<void>((resolve, reject) => {
      row.settle = (error) => (error ? reject(error) : resolve());
    });
    return {
      row,
      spec: {
        title,
        task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>) => {
          row.task = task;
          task.title = row.title;
          await done;
        },
      },
    };
  };

  let shown: Plan | null = null;
  const start = (plan: Plan) => {
    const work = plan.shots.filter((s) => s.kind !== 'unchanged' && s.kind !== 'skipped');
    if (work.length === 0) return;
    if (work.length > MAX_ROWS) {
      fallback = true;
      return;
    }
    const specs = [];
    if (plan.uploads.length > 0) {
      const made = makeRow(`upload ${plan.uploads.length} image${plan.uploads.length === 1 ? '' : 's'}`);
      upload = made.row;
      specs.push(made.spec);
    }
    for (const shot of work) {
      const made = makeRow(`${shot.shot.id}  ${palette.dim('queued')}`);
      rows.set(shot.shot.id, made.row);
      specs.push(made.spec);
    }
    const listr = new Listr(specs, {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { timer: PRESET_TIMER, collapseErrors: false },
    });
    running = listr.run().catch(() => {});
  };

  return {
    plan(plan, label) {
      plain.plan(plan, label);
      // The rows start drawing with the first event, not here: between the plan and the first
      // event the build may ask the person whether to pay (commands/ask-to-pay.ts).
      shown = plan;
    },
    event(event: ReporterEvent) {
      if (shown) {
        start(shown);
        shown = null;
      }
      if (event.type === 'run:summary') {
        // With rows on screen, the summary waits for listr's last frame (printed in close()).
        if (running) summary = event.report;
        else plain.event(event);
        return;
      }
      if (fallback || !running) {
        plain.event(event);
        return;
      }
      // Lines printed under a live listr frame would be torn apart: warnings wait for the end;
      // transient retries are left to the plain and JSON reporters.
      if (event.type === 'notice' || event.type === 'api:in-doubt' || event.type === 'api:clock-skew') {
        held.push(event);
        return;
      }
      if (event.type === 'api:retry' || event.type === 'api:rate-limited') return;
      switch (event.type) {
        case 'upload:batch':
          setTitle(upload, `upload: batch ${event.index}/${event.batches}${event.failed ? palette.red(` (${event.failed} failed)`) : ''}`);
          if (event.index === event.batches) settle(upload);
          break;
        case 'shot:status':
          setTitle(rows.get(event.id), `${event.id}  ${palette.dim(event.taskId ? `${event.status} · ${event.taskId}` : event.status)}`);
          break;
        case 'shot:done':
          setTitle(rows.get(event.id), `${event.id}  ${event.how === 'restored' ? 'cached' : 'done'} → ${event.output}`);
          settle(rows.get(event.id));
          break;
        case 'shot:failed':
          if (event.willRetry) setTitle(rows.get(event.id), `${event.id}  ${palette.yellow('failed, submitting again')}`);
          else settle(rows.get(event.id), new Error(`${event.id}: ${event.message}`));
          break;
        case 'shot:collected':
          setTitle(rows.get(event.id), `${event.id}  collected into the cache (${event.note})`);
          settle(rows.get(event.id));
          break;
        default:
          break;
      }
    },
    message(level, text) {
      plain.message(level, text);
    },
    watch(event) {
      // Like warnings: a line printed under a live listr frame would tear it apart.
      if (running && !fallback) heldWatch.push(event);
      else plain.watch?.(event);
    },
    async close() {
      for (const row of rows.values()) {
        if (!row.settled) {
          setTitle(row, `${row.title.split('  ')[0]}  ${palette.yellow('not finished')}`);
          settle(row);
        }
      }
      settle(upload);
      await running;
      for (const event of held) plain.event(event);
      for (const event of heldWatch) plain.watch?.(event);
      if (summary) out.write(`\n${formatSummary(summary, palette)}`);
    },
  };
}
