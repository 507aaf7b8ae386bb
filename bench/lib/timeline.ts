import type { RenderRun } from './render-run.js';

// Where a build's wall time goes beyond the tasks themselves, from what the bench already records:
// the build's events (arrival times), the emulator's request log (arrival times; a line is logged when
// its answer has been sent) and its task list (server clock; mapped onto the spawn clock through the
// first create request). Used to explain a makespan, not to judge it.

export interface Timeline {
  /** Spawn → the plan event (start-up, load, plan). */
  planMs: number;
  /** Spawn → the emulator received the first create request. */
  firstCreateMs: number;
  /**
   * Mean, for creates after the first `concurrency`: a task finished → the next task created, both on
   * the server's clock (the k-th finish frees the slot of the (k + concurrency)-th create). What each
   * wave adds to the makespan.
   */
  gapMs: number;
  /** Mean per task: finished on the server → the poll that saw it done was answered (poll delay). */
  detectMs: number;
  /** Mean per shot: `downloading` → `shot:done` (download, checks, cache, output, lockfile). */
  downloadMs: number;
  /** The last task finished on the server → the process exited. */
  tailMs: number;
}

const POLL = /^GET \/api\/vdr\/(?:videos\/[^/]+|status)\/([^/?\s]+)$/;

export function createTimeline(build: RenderRun, concurrency: number): Timeline {
  const creates = build.requests.filter((r) => r.route.startsWith('POST /api/vdr/videos/'));
  const tasks = build.stats.tasks;
  if (creates.length === 0 || tasks.length === 0) throw new Error('timeline: no create request was logged');
  const offset = creates[0]!.atMs - Math.min(...tasks.map((t) => t.createdAt));
  const finishedOf = new Map(tasks.flatMap((t) => (t.finishedAt === null ? [] : [[t.taskId, t.finishedAt + offset] as const])));
  const eventAt = (type: string) => build.events.find((e) => e.event.type === type)?.atMs ?? Number.NaN;
  const seen = new Map<string, number>();
  for (const request of build.requests) {
    const taskId = POLL.exec(request.route)?.[1];
    const finished = taskId === undefined ? undefined : finishedOf.get(taskId);
    if (taskId !== undefined && finished !== undefined && request.atMs >= finished && !seen.has(taskId)) seen.set(taskId, request.atMs - finished);
  }
  const downloading = new Map<string, number>();
  const downloads: number[] = [];
  for (const { atMs, event } of build.events) {
    if (event.type === 'shot:status' && event.status === 'downloading' && !downloading.has(String(event.id))) downloading.set(String(event.id), atMs);
    if (event.type === 'shot:done' && downloading.has(String(event.id))) downloads.push(atMs - downloading.get(String(event.id))!);
  }
  const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
  const created = tasks.map((t) => t.createdAt).sort((a, b) => a - b);
  const finished = tasks.flatMap((t) => (t.finishedAt === null ? [] : [t.finishedAt])).sort((a, b) => a - b);
  return {
    planMs: eventAt('plan'),
    firstCreateMs: creates[0]!.atMs,
    gapMs: mean(created.slice(concurrency).map((at, i) => at - finished[i]!).filter(Number.isFinite)),
    detectMs: mean([...seen.values()]),
    downloadMs: mean(downloads),
    tailMs: build.result.wallMs - Math.max(...finishedOf.values()),
  };
}
