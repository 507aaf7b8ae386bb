import { createBatchStore, type BatchStore } from './batches.js';
import { createCallbackSender, type CallbackSender } from './callbacks.js';
import { applyConfigPatch, type EmulatorConfig } from './config.js';
import { createFaultDecider, type FaultDecider } from './faults.js';
import { drawProcessingMs } from './processing-time.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { createStatsCounters, type EmulatorStats, type StatsCounters } from './stats.js';
import { createTaskData, createTaskEnvelope } from './task-data.js';
import { createTaskStore, summarizeTask, type Task, type TaskStore } from './tasks.js';
import { createUploadStore, type StoredUpload, type UploadStore } from './uploads.js';

// Everything one emulator holds, in one place: the current configuration, the counters, the
// credits, and the stores. Handlers receive this object; nothing is module-level, so several
// emulators can run in one process (tests start one per test).
//
// Credits [decided]: seconds of video. A create request is refused with 1302 when the remaining
// credits are fewer than its duration; otherwise the duration is debited at creation (a task whose
// connection was then dropped is still billed) and refunded when the task ends TASK_FAILED.

export interface EmulatorState {
  readonly config: EmulatorConfig;
  /** http://host:port, known once the server listens. */
  origin: string;
  readonly counters: StatsCounters;
  readonly credits: { remaining: number | null; spent: number; refunded: number };
  readonly tasks: TaskStore;
  readonly uploads: UploadStore;
  readonly batches: BatchStore;
  readonly faults: FaultDecider;
  readonly rateLimiter: RateLimiter;
  readonly callbacks: CallbackSender;
  /** Aborted by close(): sleeps, callbacks and background batches stop. */
  readonly closing: AbortSignal;
  now(): number;
  log(line: string): void;
  configure(patch: unknown): void;
  reset(): void;
  stats(): EmulatorStats;
  resultUrl(task: Task): string;
  isUploadExpired(upload: StoredUpload): boolean;
  isResultExpired(task: Task): boolean;
  close(): Promise<void>;
}

export function createEmulatorState(initial: EmulatorConfig, options: { log?: (line: string) => void } = {}): EmulatorState {
  let config = initial;
  let counters = createStatsCounters();
  let credits = { remaining: config.credits, spent: 0, refunded: 0 };
  const closing = new AbortController();
  const now = () => Date.now();

  const state: EmulatorState = {
    get config() {
      return config;
    },
    origin: '',
    get counters() {
      return counters;
    },
    get credits() {
      return credits;
    },
    tasks: createTaskStore({
      now,
      processingMsFor: (task) => drawProcessingMs(config, task.faultKey),
      pendingMs: () => config.pendingMs,
      concurrencyPerKey: () => config.concurrencyPerKey,
      checkInputs: (task) => checkTaskInputs(state, task),
      onFinished: (task) => finishTask(state, task),
    }),
    uploads: createUploadStore({ origin: () => state.origin, now }),
    batches: createBatchStore({ now, batchTtlMs: () => config.batchTtlMs }),
    faults: createFaultDecider(() => config.faults),
    rateLimiter: createRateLimiter(() => config.rateLimit),
    callbacks: createCallbackSender({ counters: () => counters, signal: closing.signal }),
    closing: closing.signal,
    now,
    log: options.log ?? (() => {}),
    configure(patch) {
      const next = applyConfigPatch(config, patch);
      if (JSON.stringify(next.rateLimit) !== JSON.stringify(config.rateLimit)) state.rateLimiter.reset();
      if (next.credits !== config.credits) credits.remaining = next.credits;
      config = next;
      state.tasks.pump();
    },
    reset() {
      state.tasks.clear();
      state.batches.clear();
      state.uploads.clear();
      state.faults.reset();
      state.rateLimiter.reset();
      counters = createStatsCounters();
      credits = { remaining: config.credits, spent: 0, refunded: 0 };
    },
    stats() {
      return {
        ...structuredClone(counters),
        credits: { ...credits },
        tasks: state.tasks.list().map((task) => summarizeTask(task, task.status === 'TASK_SUCCEEDED' ? state.resultUrl(task) : null)),
      };
    },
    resultUrl: (task) => `${state.origin}/cdn/results/${task.id}.mp4`,
    isUploadExpired: (upload) => config.uploadTtlMs !== null && now() >= upload.createdAt + config.uploadTtlMs,
    isResultExpired: (task) =>
      config.resultTtlMs !== null && task.finishedAt !== null && now() >= task.finishedAt + config.resultTtlMs,
    async close() {
      closing.abort(new Error('emulator closed'));
      state.tasks.clear();
      state.batches.clear();
      await state.uploads.close();
    },
  };
  return state;
}

/** An emulator upload URL that is unknown or expired cannot be fetched: the task fails. */
function checkTaskInputs(state: EmulatorState, task: Task): string | null {
  const prefix = `${state.origin}/cdn/uploads/`;
  for (const url of task.imageUrls) {
    if (!url.startsWith(prefix)) continue;
    const upload = state.uploads.findByUrl(url);
    if (!upload || state.isUploadExpired(upload)) return `Failed to download image: ${url}`;
  }
  return null;
}

function finishTask(state: EmulatorState, task: Task): void {
  if (task.status === 'TASK_FAILED') {
    state.credits.refunded += task.durationSeconds;
    if (state.credits.remaining !== null) state.credits.remaining += task.durationSeconds;
  }
  state.log(`task ${task.id} ${task.status}${task.message ? `: ${task.message}` : ''}`);
  if (task.callbackUrl) state.callbacks.send(task.callbackUrl, createTaskEnvelope(createTaskData(state, task)));
}
