import { oracleMakespan, type OracleTask } from './oracle.js';

// The best any poller bound by a floor can do (issue 14, item 2): the yardstick that shows whether
// "≤ 1.03x the oracle" is within reach of polling at all. A poller that learns durations per kind
// (mode, resolution, duration) cannot tell one shot's time from another's; all it can choose is when,
// after a create is accepted, to poll, and its polls of one task must be at least `floorMs` apart
// (the user's `--poll-interval`), the first at least `floorMs` after the create. An answer "still
// running" tells it only that the end is later, which its schedule already assumes: so whatever the
// strategy, it comes down to one sequence of poll times p1 < p2 < … after the create, the same for
// every task of the kind, and a task is found at the first p ≥ its end.
//
// bestFloorSchedule finds the sequence with the smallest total lag for the very durations the
// emulator drew — knowledge no real poller has (it knows the spread, not the draws), so this is
// generous: nothing that polls can beat it on these tasks. Time is cut into `stepMs` steps and a
// dynamic programme over "the last poll so far was at t" finds the optimum in O((T/step)²).
// floorBoundMakespan then runs the oracle's slot simulation with each task taking its end plus that lag.

export interface FloorSchedule {
  /** Poll times, ms after the create was accepted. */
  pollsAtMs: number[];
  /** Mean time from a task's end to the poll that finds it (ms). */
  meanLagMs: number;
}

export function bestFloorSchedule(durationsMs: readonly number[], floorMs: number, stepMs = 10): FloorSchedule {
  if (durationsMs.length === 0) return { pollsAtMs: [], meanLagMs: 0 };
  const ends = [...durationsMs].sort((a, b) => a - b);
  const last = ends[ends.length - 1]!;
  const steps = Math.ceil(last / stepMs) + Math.ceil(floorMs / stepMs) + 1;
  const floorSteps = Math.ceil(floorMs / stepMs);
  // prefix[k]: how many ends are ≤ k·step, and their sum, for the lag of the ends between two polls.
  const count = new Float64Array(steps + 1);
  const sum = new Float64Array(steps + 1);
  for (let k = 0, i = 0, n = 0, s = 0; k <= steps; k++) {
    while (i < ends.length && ends[i]! <= k * stepMs) (n += 1), (s += ends[i]!), (i += 1);
    count[k] = n;
    sum[k] = s;
  }
  const lagBetween = (from: number, to: number) => (count[to]! - count[from]!) * to * stepMs - (sum[to]! - sum[from]!);
  // best[k]: the least total lag of the ends ≤ k·step with the last poll at k·step; from[k]: the poll before.
  const best = new Float64Array(steps + 1).fill(Infinity);
  const from = new Int32Array(steps + 1).fill(-1);
  for (let k = floorSteps; k <= steps; k++) {
    best[k] = lagBetween(0, k); // k is the first poll
    for (let j = floorSteps; j <= k - floorSteps; j++) {
      const cost = best[j]! + lagBetween(j, k);
      if (cost < best[k]!) (best[k] = cost), (from[k] = j);
    }
  }
  let end = -1;
  for (let k = Math.ceil(last / stepMs); k <= steps; k++) if (end < 0 || best[k]! < best[end]!) end = k;
  const pollsAtMs: number[] = [];
  for (let k = end; k >= 0; k = from[k]!) pollsAtMs.unshift(k * stepMs);
  return { pollsAtMs, meanLagMs: best[end]! / ends.length };
}

/** The makespan of the oracle's simulation with every task found at the schedule's first poll at or after its end. */
export function floorBoundMakespan(tasks: readonly OracleTask[], slots: number, schedule: FloorSchedule): number {
  const found = (serverMs: number) => schedule.pollsAtMs.find((at) => at >= serverMs) ?? serverMs;
  return oracleMakespan(tasks.map((t) => ({ createdAt: t.createdAt, serverMs: found(t.serverMs) })), slots);
}
