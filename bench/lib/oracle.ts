// The makespan an oracle poller would reach (issue 14, item 2): it collects every result the moment
// it is ready, so a `--concurrency` slot is free again the instant its task ends on the server and the
// next shot is created at once, with no request taking any time. Simulated from the tasks the
// emulator actually ran (their drawn processing times, in the order they were created): each task,
// in that order, takes the slot that frees first. The same storyboard and timing seed give the same
// times in every run, so bach-render's runs with either poller are held against the same oracle.

export interface OracleTask {
  createdAt: number;
  /** The task's time on the server from create to ready: pending + processing (ms). */
  serverMs: number;
}

export function oracleMakespan(tasks: readonly OracleTask[], slots: number): number {
  const free = Array.from({ length: Math.max(1, slots) }, () => 0);
  for (const task of [...tasks].sort((a, b) => a.createdAt - b.createdAt)) {
    let first = 0;
    for (let i = 1; i < free.length; i++) if (free[i]! < free[first]!) first = i;
    free[first] = free[first]! + task.serverMs;
  }
  return Math.max(...free);
}
