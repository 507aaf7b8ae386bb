// Median, min and max of repeated runs: the median resists one noisy run; min and max show the spread.

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(runs: readonly number[]): Summary {
  if (runs.length === 0) throw new Error('summarize: no runs');
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: [...runs] };
}

export const MB = 1024 * 1024;

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

/** "median (min–max)" in one unit. */
export function formatSummary(summary: Summary, format: (value: number) => string): string {
  if (summary.runs.length === 1) return format(summary.median);
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

/** ", helper processes ≤ N MB" when the measured CLI started Node helpers (e.g. its submitter). */
export function helperNote(runs: readonly { helpers: readonly { maxRssBytes: number }[] }[]): string {
  const peaks = runs.flatMap((run) => run.helpers.map((helper) => helper.maxRssBytes));
  return peaks.length === 0 ? '' : `; helper processes ≤ ${formatMb(Math.max(...peaks))}`;
}
