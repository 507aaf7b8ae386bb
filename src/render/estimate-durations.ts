// What the adaptive poller knows about a kind of task, from what polling can actually observe (issue 14,
// item 1). A poll never sees a task end; it sees that it had not ended (the last poll that answered
// "running") and that it had (the first that answered "done"). So each timed task is a bracket
// (low, high]: its end lies after `low` and by `high`. A task already done at its first poll has only
// the upper end (low = 0). Pure: plain numbers in, plain numbers out.
//
// Why not one number per task: the old estimate (the bracket's midpoint, or `high` for a task found at
// its first poll) was biased late, and the bias fed itself. Once the schedule aims a first poll just
// after the expected end, nearly every task is found by it and recorded at that poll — later than its
// real end by the poll's lag — so the learned mean crept later with every wave, and so did the polls
// (the 64 × 1 s bench found its tasks 30–50 ms after they ended). A bracket (0, high] says only "done by
// high": it must not move the estimate later.
//
// The estimate [decided]: the normal distribution most likely to have produced the brackets (interval-
// censored maximum likelihood, by a fixed number of EM steps from the brackets' midpoints; each step
// replaces every bracket by the mean and second moment of the current normal within it). A bracket of
// a task found at its first poll then counts as "somewhere below high" — neutral when high is well past
// the expected end, pulling earlier when it is not — while a bracket from a poll that found the task
// still running pulls later. The spread is kept at least MIN_SPREAD (clock and network jitter; a
// fraction of the mean): with brackets wide against the real spread (the first wave is polled at the
// fixed interval) the likelihood alone would shrink it towards zero, and a schedule that trusted that
// would aim its first polls at a point and miss half of them.

import type { DurationSample } from '../state/task-durations.js';

export type { DurationSample } from '../state/task-durations.js';

/** Durations of tasks of one kind, summarised (ms, from create accepted to done). */
export interface DurationSummary {
  count: number;
  meanMs: number;
  /** Standard deviation of the fitted normal (at least the minimum spread). */
  sdMs: number;
  /** The longest expected duration of a sample under the fit (its bracket's conditional mean). */
  maxMs: number;
}

const EM_STEPS = 200;
/** The smallest spread the fit may settle on: 5 ms (timers and loopback on a busy machine), or 1% of the mean. */
export function minimumSpread(meanMs: number): number {
  return Math.max(5, 0.01 * meanMs);
}

/** The fitted mean, spread and longest expected duration; undefined when there are no samples. */
export function summarizeDurations(samples: readonly DurationSample[]): DurationSummary | undefined {
  if (samples.length === 0) return undefined;
  // Start from the midpoints (a bracket from the acceptance, low = 0, at its upper end): for brackets
  // narrow against the spread, that already is the answer.
  const midpoints = samples.map((s) => (s.lowMs > 0 ? (s.lowMs + s.highMs) / 2 : s.highMs));
  let mean = average(midpoints);
  let sd = Math.max(Math.sqrt(average(midpoints.map((m) => (m - mean) ** 2))), minimumSpread(mean));
  let expected = midpoints;
  for (let step = 0; step < EM_STEPS; step++) {
    const moments = samples.map((s) => bracketMoments(s, mean, sd));
    expected = moments.map((m) => m.first);
    const nextMean = average(expected);
    const nextVariance = average(moments.map((m) => m.second)) - nextMean ** 2;
    const nextSd = Math.max(Math.sqrt(Math.max(0, nextVariance)), minimumSpread(nextMean));
    const settled = Math.abs(nextMean - mean) < 0.01 && Math.abs(nextSd - sd) < 0.01;
    mean = nextMean;
    sd = nextSd;
    if (settled) break;
  }
  return { count: samples.length, meanMs: mean, sdMs: sd, maxMs: Math.max(...expected) };
}

/** E[D] and E[D²] of a normal(mean, sd) given low < D ≤ high. */
function bracketMoments(sample: DurationSample, mean: number, sd: number): { first: number; second: number } {
  const { lowMs: low, highMs: high } = sample;
  if (high - low < 1e-9) return { first: high, second: high * high };
  const a = (low - mean) / sd;
  const b = (high - mean) / sd;
  const mass = normalCdf(b) - normalCdf(a);
  // The normal puts (next to) nothing in the bracket: the fit is far off; the nearer end is the best guess.
  if (!(mass > 1e-12)) {
    const nearer = b < 0 ? high : low;
    return { first: nearer, second: nearer * nearer };
  }
  const pa = normalPdf(a);
  const pb = normalPdf(b);
  const shift = (pa - pb) / mass;
  const first = mean + sd * shift;
  // (a·φ(a) with a = −∞ is 0.)
  const aTerm = Number.isFinite(a) ? a * pa : 0;
  const variance = sd * sd * Math.max(0, 1 + (aTerm - b * pb) / mass - shift * shift);
  return { first, second: variance + first * first };
}

function average(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Φ(z), by the complementary error function (Numerical Recipes' erfc, relative error < 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
