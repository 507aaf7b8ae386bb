import type { Endpoint } from './validate-create.js';

// What the emulator counts, for tests ("was this shot submitted twice?") and for users watching a
// build. Counters only; the task list is filled in by the caller from the task store. Everything
// here is plain JSON (GET /_emulator/stats returns exactly stats()).

export type FaultCounterName = 'error5xx' | 'drop' | 'dropAfterCreate' | 'latency' | 'taskFailed' | 'rateLimit429';

export interface TaskSummary {
  taskId: string;
  accessKey: string;
  mode: Endpoint;
  fingerprint: string;
  status: 'TASK_PENDING' | 'TASK_PROCESSING' | 'TASK_SUCCEEDED' | 'TASK_FAILED';
  /** Unix milliseconds. */
  createdAt: number;
  startedAt: number | null;
  /** The processing time drawn for the task when it started (ms); null while pending. */
  processingMs: number | null;
  finishedAt: number | null;
  /** When the result became downloadable (Unix ms): finishedAt of a TASK_SUCCEEDED task, else null. */
  readyAt: number | null;
  durationSeconds: number;
  resolution: string;
  aspectRatio: string;
  videoUrl: string | null;
  message: string | null;
}

export interface EmulatorStats {
  requests: {
    /** Every request under /api/vdr, whatever its outcome. */
    total: number;
    /** By route: create, submit, query, status, upload-files, upload-json, batch-status, unknown. */
    byRoute: Record<string, number>;
    /** By HTTP status sent ("dropped" when the socket was destroyed instead). */
    byStatus: Record<string, number>;
  };
  /** Authenticated task queries (GET /videos/{mode}/{id} and GET /status/{id}). */
  polls: number;
  /** Authenticated batch status queries. */
  batchPolls: number;
  submissions: {
    /** Tasks created (a dropAfterCreate counts: the task exists and was billed). */
    total: number;
    byMode: Record<Endpoint, number>;
    /** Tasks created per request fingerprint (see fingerprint.ts). */
    byFingerprint: Record<string, number>;
  };
  uploads: { batches: number; images: number; failedImages: number; bytes: number };
  downloads: { results: number; uploads: number; bytes: number };
  /** Real rate limiting (429 from the token bucket); spurious ones are in faults.rateLimit429. */
  rateLimited: number;
  faults: Record<FaultCounterName, number> & { total: number };
  callbacks: { sent: number; failed: number; skipped: number };
  credits: { remaining: number | null; spent: number; refunded: number };
  tasks: TaskSummary[];
}

export type StatsCounters = Omit<EmulatorStats, 'tasks' | 'credits'>;

export function createStatsCounters(): StatsCounters {
  return {
    requests: { total: 0, byRoute: {}, byStatus: {} },
    polls: 0,
    batchPolls: 0,
    submissions: { total: 0, byMode: { text2video: 0, image2video: 0, multi2video: 0 }, byFingerprint: {} },
    uploads: { batches: 0, images: 0, failedImages: 0, bytes: 0 },
    downloads: { results: 0, uploads: 0, bytes: 0 },
    rateLimited: 0,
    faults: { error5xx: 0, drop: 0, dropAfterCreate: 0, latency: 0, taskFailed: 0, rateLimit429: 0, total: 0 },
    callbacks: { sent: 0, failed: 0, skipped: 0 },
  };
}

export function countFault(counters: StatsCounters, name: FaultCounterName): void {
  counters.faults[name] += 1;
  counters.faults.total += 1;
}

export function countKey(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** A finished batch: one batch, its stored and its failed images. */
export function countBatchImages(counters: StatsCounters, images: readonly { status: 'SUCCEEDED' | 'FAILED' }[]): void {
  counters.uploads.batches += 1;
  for (const image of images) {
    if (image.status === 'SUCCEEDED') counters.uploads.images += 1;
    else counters.uploads.failedImages += 1;
  }
}
