import type { RenderRun } from './render-run.js';

// Where a build's wall time goes beyond the tasks themselves, from what the bench already records:
// the build's events (arrival times), the emulator's request log (arrival times) and its task list
// (server clock; mapped onto the spawn clock through the first create request). Used to explain a
// makespan, not to judge it.

export interface Timeline {
  /** Spawn → the plan event (start-up, load, plan). */
  planMs: number;
  /** Spawn → the emulator received the first create request. */
  firstCreateMs: number;
  /** Mean per shot: task finished on the server → the build reports `downloading` (poll delay). */
  detectMs: number;
  /** Mean per shot: `downloading` → `shot:done` (download, checks, cache, output, lockfile). */
  downloadMs: number;
  /** Mean, for shots after the first `concurrency`: a `shot:done` → the next create received. */
  refillMs: number;
  /** The last task finished on the server → the process exited. */
  tailMs: number;
}

export function createTimeline(build: RenderRun, concurrency: number): Timeline {
  const creates = build.requests.filter((r) => r.route.startsWith('POST /api/vdr/videos/'));
  const tasks = build.stats.tasks;
  if (creates.length === 0 || tasks.length === 0) throw new Error('timeline: no create request was logged');
  const offset = creates[0]!.atMs - Math.min(...tasks.map((t) => t.createdAt));
  const taskById = new Map(tasks.map((t) => [t.taskId, t]));
  const eventAt = (type: string) => build.events.find((e) => e.event.type === type)?.atMs ?? Number.NaN;
  const downloading = new Map<string, number>();
  const done: { id: string; atMs: number; finishedMs: number }[] = [];
  for (const { atMs, event } of build.events) {
    if (event.type === 'shot:status' && event.status === 'downloading' && !downloading.has(String(event.id))) downloading.set(String(event.id), atMs);
    if (event.type === 'shot:done') {
      const task = taskById.get(String(event.taskId));
      if (task?.finishedAt) done.push({ id: String(event.id), atMs, finishedMs: task.finishedAt + offset });
    }
  }
  const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
  const doneTimes = done.map((d) => d.atMs).sort((a, b) => a - b);
  const refills = creates.slice(concurrency).map((create, i) => create.atMs - (doneTimes[i] ?? Number.NaN));
  return {
    planMs: eventAt('plan'),
    firstCreateMs: creates[0]!.atMs,
    detectMs: mean(done.flatMap((d) => (downloading.has(d.id) ? [downloading.get(d.id)! - d.finishedMs] : []))),
    downloadMs: mean(done.flatMap((d) => (downloading.has(d.id) ? [d.atMs - downloading.get(d.id)!] : []))),
    refillMs: mean(refills.filter(Number.isFinite)),
    tailMs: build.result.wallMs - Math.max(...tasks.map((t) => (t.finishedAt ?? 0) + offset)),
  };
}
