import type { Output } from '../util/cli-context.js';
import { formatPlan } from '../plan/format-plan.js';
import type { Plan } from '../plan/types.js';
import type { Palette } from '../util/palette.js';
import { formatSummary, seconds } from './format-summary.js';
import { formatWatchEvent } from './format-watch-event.js';
import { applyProgressEvent, createProgressState, drawProgress, type ProgressState } from './progress-model.js';
import type { Reporter, ReporterEvent } from './reporter.js';

// One line per thing that happened, prefixed with the time since start — readable in CI logs and
// when piped. A shot's status is printed only when it changes (polls repeat it).

/** How often a long build prints its progress line in plain mode (CI logs). */
const PROGRESS_EVERY_MS = 30_000;

export function createPlainReporter(out: Output, err: Output, palette: Palette, now: () => number = Date.now): Reporter {
  // Stamps count from the first event — the moment the executor starts, as the summary's "Done in"
  // does — so the two agree (issue 15, item 4: "Done in 3.8 s" followed an event stamped 4.2 s).
  let started: number | null = null;
  // A long build says where it stands every 30 s: the live view's header, as a line.
  let progress: ProgressState | null = null;
  let lastProgress = 0;
  const lastStatus = new Map<string, string>();
  // The build's client and its submitter's each correct their clock: one notice is enough.
  let clockSkewShown = false;
  // One cause, one line (issue 15, item 2): a cause that hits every request (a wrong address, a
  // refused connection) is said the first time; its repeats for other requests and shots are not.
  const retryCauses = new Set<string>();
  const failureCauses = new Map<string, string>();
  const line = (text: string) => {
    started ??= now();
    out.write(`${palette.dim(`[${seconds(now() - started).padStart(6)}]`)} ${text}\n`);
  };
  return {
    plan(plan: Plan, label: string) {
      out.write(`${palette.bold(label)}\n${formatPlan(plan, palette)}`);
      progress = createProgressState(plan);
    },
    event(event: ReporterEvent) {
      started ??= now();
      if (progress && event.type !== 'run:summary') {
        applyProgressEvent(progress, event, now());
        if (lastProgress === 0) lastProgress = now();
        else if (now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now();
          line(`progress: ${drawProgress(progress, { nowMs: now(), columns: 1000, rows: 2, dim: palette.dim, bold: (t) => t, red: palette.red, cyan: palette.cyan })[0]}`);
        }
      }
      switch (event.type) {
        case 'upload:start':
          line(`uploading ${event.images} image${event.images === 1 ? '' : 's'} (${megabytes(event.bytes)}) in ${event.batches} batch${event.batches === 1 ? '' : 'es'}`);
          break;
        case 'upload:batch':
          line(`upload batch ${event.index}/${event.batches}: ${event.images - event.failed} uploaded${event.failed ? palette.red(`, ${event.failed} failed`) : ''}`);
          break;
        case 'shot:status': {
          const text = event.taskId ? `${event.status} (task ${event.taskId})` : event.status;
          if (lastStatus.get(event.id) === text || event.status === 'uploading' || event.status === 'queued') break;
          lastStatus.set(event.id, text);
          line(`${event.id}: ${text}`);
          break;
        }
        case 'shot:done':
          line(`${event.id}: ${palette.green(event.how === 'restored' ? 'restored from cache' : 'done')} → ${event.output}`);
          break;
        case 'shot:failed': {
          const cause = causeOf(event.message, event.id);
          const first = failureCauses.get(cause);
          if (first !== undefined && !event.willRetry) {
            line(`${event.id}: ${palette.red('failed')} (the same cause as ${first})`);
            break;
          }
          if (!event.willRetry) failureCauses.set(cause, event.id);
          line(`${event.id}: ${palette.red(event.willRetry ? 'failed, submitting again' : 'failed')}: ${event.message}`);
          break;
        }
        case 'shot:collected':
          line(`${event.id}: task ${event.taskId} collected (${event.note})`);
          break;
        case 'notice':
          line(event.level === 'warn' ? palette.yellow(event.message) : event.message);
          break;
        case 'run:interrupted':
          line(palette.yellow('interrupted: no new submissions; recording what is in flight'));
          break;
        case 'run:summary':
          out.write(`\n${formatSummary(event.report, palette)}`);
          break;
        case 'api:rate-limited':
          line(palette.dim(`rate limited by the API (${event.request}); slowing down, next try in ${seconds(event.delayMs)}`));
          break;
        case 'api:in-doubt':
          line(palette.yellow(`a create request got no answer (${event.reason}); sending it once more — it may be billed twice`));
          break;
        case 'api:clock-skew':
          if (clockSkewShown) break;
          clockSkewShown = true;
          line(palette.yellow(event.reason));
          break;
        case 'api:retry':
          if (retryCauses.has(event.reason)) break;
          retryCauses.add(event.reason);
          line(palette.dim(`${event.request} attempt ${event.attempt} failed (${event.reason}); retrying in ${seconds(event.delayMs)} (further retries for this cause are not shown)`));
          break;
        case 'shot:submitted':
          // Shown by the `pending (task …)` status that follows; it is for the JSON stream and the budget.
          break;
      }
    },
    message(level, text) {
      if (level === 'error') err.write(`${palette.red('error:')} ${text}\n`);
      else if (level === 'warn') err.write(`${palette.yellow('warning:')} ${text}\n`);
      else out.write(`${text}\n`);
    },
    watch(event) {
      const formatted = formatWatchEvent(event, palette);
      if (formatted) (formatted.stream === 'err' ? err : out).write(formatted.text);
    },
    async close() {},
  };
}

export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A failure message without its `shot ID: ` prefix: what two shots that failed for one reason share. */
export function causeOf(message: string, id: string): string {
  return message.startsWith(`shot ${id}: `) ? message.slice(`shot ${id}: `.length) : message;
}
