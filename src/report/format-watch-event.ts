import type { WatchEvent, WatchRunResult } from './watch-events.js';
import type { Palette } from '../util/palette.js';

// Watch mode for people (plain and TTY): a header per run naming what changed, then the build's
// usual plan and events, then one line with the run's result and the session's totals. Plain text
// with optional colour, so it reads the same in a terminal and in a CI log.

export interface WatchLine {
  text: string;
  stream: 'out' | 'err';
}

export function formatWatchEvent(event: WatchEvent, palette: Palette): WatchLine | null {
  const out = (text: string): WatchLine => ({ text: `${text}\n`, stream: 'out' });
  switch (event.type) {
    case 'watch:ready':
      return out(palette.dim(`watching ${count(event.files.length, 'file')}: ${list(event.files)}`));
    case 'watch:files': {
      const parts = [
        event.added.length > 0 ? `now watching ${list(event.added)}` : '',
        event.removed.length > 0 ? `no longer watching ${list(event.removed)}` : '',
      ].filter(Boolean);
      return parts.length > 0 ? out(palette.dim(parts.join('; '))) : null;
    }
    case 'watch:change':
      return event.running ? out(palette.cyan(`${list(event.paths)} changed during this run: one more run follows it`)) : null;
    case 'watch:stale':
      return out(palette.cyan(`${list(event.shots)} edited while rendering: results still in flight go to the cache only (paid for, not placed)`));
    case 'watch:run-start': {
      const what = event.changed.length > 0 ? `${list(event.changed)} changed` : 'start';
      return out(`\n${palette.bold(`── run ${event.run} · ${what} ──`)}`);
    }
    case 'watch:invalid':
      return out(palette.yellow(`the manifest has ${count(event.problems, 'problem')}: nothing was submitted; keeping the last good state until it is fixed`));
    case 'watch:budget': {
      const left = Math.max(0, event.maxSeconds - event.spentSeconds);
      return out(
        palette.yellow(
          `budget: this run would generate ${event.planSeconds} s of video and ${left} s of --max-seconds ${event.maxSeconds} are left; ` +
            'nothing was submitted (planned only). Restart watch with a larger --max-seconds to render it.',
        ),
      );
    }
    case 'watch:error':
      return { text: `${palette.red('error:')} ${event.message}\n`, stream: 'err' };
    case 'watch:idle': {
      const budget = event.maxSeconds === undefined ? '' : ` of the ${event.maxSeconds} s budget`;
      const session = `session: ${event.spentSeconds} s generated${budget}`;
      // A run ended by Ctrl-C is the session's end: no "watching … Ctrl-C to stop" after it (issue 15, item 4).
      if (event.result === 'interrupted') return out(`${describeRun(event.run, event.result, event)} · ${session}`);
      return out(`${describeRun(event.run, event.result, event)} · ${session} · ${palette.dim(`watching ${count(event.files, 'file')} — Ctrl-C to stop`)}`);
    }
    case 'watch:stop':
      return out(palette.dim('stopped watching'));
  }
}

function describeRun(run: number, result: WatchRunResult, totals: { rendered: number; failed: number; runSeconds: number }): string {
  const head = `run ${run}`;
  switch (result) {
    case 'rendered':
      return `${head}: ${totals.rendered} rendered (${totals.runSeconds} s)`;
    case 'failed':
      return `${head}: ${totals.rendered} rendered (${totals.runSeconds} s), ${totals.failed} failed`;
    case 'planned':
      return `${head}: planned only (--dry-run)`;
    case 'over-budget':
      return `${head}: planned only (budget)`;
    case 'unconfirmed':
      return `${head}: planned only (saved again before Enter)`;
    case 'invalid':
      return `${head}: manifest invalid`;
    case 'error':
      return `${head}: stopped by an error`;
    case 'interrupted':
      return `${head}: interrupted`;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(items: readonly string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}
