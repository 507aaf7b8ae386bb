import type { RunReport } from '../render/events.js';
import type { ShotFailure } from '../render/run-report.js';
import type { Palette } from '../util/palette.js';

// The end of every build, for people: what was done, what it cost, what failed and why, and what
// needs the user's attention (possible double billing, work not submitted, work left in flight).

export function formatSummary(report: RunReport, palette: Palette): string {
  const lines: string[] = [];
  const parts = [
    `${report.rendered.length} rendered (${report.secondsGenerated} s of video generated)`,
    report.restored.length > 0 ? `${report.restored.length} restored from cache` : '',
    report.unchanged > 0 ? `${report.unchanged} unchanged` : '',
    report.removed.length > 0 ? `${report.removed.length} removed from the lockfile` : '',
    report.collected > 0 ? `${report.collected} earlier result${report.collected === 1 ? '' : 's'} kept in the cache` : '',
    report.failed.length > 0 ? palette.red(`${report.failed.length} failed`) : '',
  ].filter(Boolean);
  const verb = report.interrupted ? 'Interrupted after' : 'Done in';
  lines.push(`${verb} ${seconds(report.wallMs)}: ${parts.join(', ')}.`);
  if (report.failed.length > 0) {
    lines.push(palette.red(`Failed (${report.failed.length}):`));
    // Identical causes grouped (issue 15, item 2): "7 shots (a, b, …): connection refused" once.
    const groups = new Map<string, typeof report.failed>();
    for (const failure of report.failed) {
      const cause = failure.internal ? `${failure.id}\u0000${failure.message}` : stripShotPrefix(failure.message, failure.id);
      groups.set(cause, [...(groups.get(cause) ?? []), failure]);
    }
    for (const group of groups.values()) {
      const [first] = group as [ShotFailure, ...ShotFailure[]];
      const cause = stripShotPrefix(first.message, first.id);
      lines.push(group.length === 1 ? `  ${first.id}: ${cause}` : `  ${group.length} shots (${list(group.map((f) => f.id))}): ${cause}`);
      // A bug: its stack is what makes it reportable.
      if (first.internal && first.stack) lines.push(...first.stack.split('\n').map((line) => palette.dim(`    ${line.trim()}`)));
    }
  }
  if (report.inDoubt.length > 0) {
    lines.push(
      palette.yellow(`May have been billed twice (${report.inDoubt.length}): ${report.inDoubt.join(', ')}`),
      '  A create request got no readable answer (connection dropped or timed out) and was sent again, or',
      '  an earlier build stopped while submitting it; the API offers no way to look the first one up.',
    );
  }
  if (report.notSubmitted.length > 0) {
    const why = report.stopReason ? ` — stopped: ${report.stopReason}` : report.interrupted ? ' — interrupted' : '';
    lines.push(palette.yellow(`Not submitted (${report.notSubmitted.length}): ${list(report.notSubmitted)}${why}`));
  }
  if (report.interrupted) {
    lines.push(
      report.ephemeralApi
        ? // The embedded emulator lives in this process: promising a resume would be a lie (issue 15, item 3).
          'The embedded emulator stops with this build, and its unfinished tasks with it: the next build renders those shots again (free with --emulator).'
        : 'Tasks already accepted are recorded in .bach/journal and resume on the next build at no extra cost.',
    );
  }
  return `${lines.join('\n')}\n`;
}

function stripShotPrefix(message: string, id: string): string {
  return message.startsWith(`shot ${id}: `) ? message.slice(`shot ${id}: `.length) : message;
}

function list(ids: readonly string[]): string {
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
