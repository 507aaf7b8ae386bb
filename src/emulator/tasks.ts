import { randomUUID } from 'node:crypto';
import type { AspectRatio, Resolution } from '../contract/types.js';
import type { TaskSummary } from './stats.js';
import type { Endpoint } from './validate-create.js';

// The task lifecycle, driven by time: TASK_PENDING → TASK_PROCESSING → TASK_SUCCEEDED | TASK_FAILED.
//
// Invariants (one queue per access key; everything runs on the event loop, no await inside):
// - a key never has more than `concurrencyPerKey()` tasks in TASK_PROCESSING;
// - the waiting tasks of a key start strictly in creation order (FIFO), each no earlier than
//   createdAt + pendingMs; a head that is not due yet holds back the tasks behind it;
// - every timer is tracked, so clear() and close() leave nothing scheduled (an emulator embedded
//   in a build must not keep the process alive after close()).
// Whether a task fails is decided when it starts (a fault, or an input image the emulator cannot
// serve); it ends after its processing time either way. That time is drawn per task when it starts
// (`processingMsFor`: the configured mean, spread and timing seed, see processing-time.ts).

export type TaskStatus = TaskSummary['status'];

export interface Task {
  id: string;
  accessKey: string;
  endpoint: Endpoint;
  fingerprint: string;
  /** Stable key of the create request (fingerprint + occurrence), used for the task's fault decisions. */
  faultKey: string;
  durationSeconds: number;
  resolution: Resolution;
  aspectRatio: AspectRatio;
  /** The request's prompt (multi2video: its "name"), drawn into the result; null when absent. */
  prompt: string | null;
  /** The request's seed, drawn into the result; null when absent. */
  seed: number | null;
  status: TaskStatus;
  /** Unix milliseconds. */
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  /** The processing time drawn when the task started, in ms. */
  processingMs: number | null;
  finishedAt: number | null;
  message: string | null;
  /** Failure message decided at creation (the taskFailed fault). */
  injectedFailure: string | null;
  callbackUrl: string | null;
  imageUrls: string[];
}

export type NewTask = Pick<
  Task,
  | 'accessKey'
  | 'endpoint'
  | 'fingerprint'
  | 'faultKey'
  | 'durationSeconds'
  | 'resolution'
  | 'aspectRatio'
  | 'prompt'
  | 'seed'
  | 'injectedFailure'
  | 'callbackUrl'
  | 'imageUrls'
>;

export interface TaskStoreOptions {
  now: () => number;
  /** How long this task processes, decided when it starts. */
  processingMsFor: (task: Task) => number;
  pendingMs: () => number;
  concurrencyPerKey: () => number;
  /** Called when a task starts: a failure message when its inputs cannot be had, else null. */
  checkInputs: (task: Task) => string | null;
  /** Called once per task when it reaches TASK_SUCCEEDED or TASK_FAILED. */
  onFinished: (task: Task) => void;
}

export interface TaskStore {
  create(input: NewTask): Task;
  get(id: string): Task | undefined;
  list(): Task[];
  /** Starts what may start now (after a configuration change). */
  pump(): void;
  /** Forgets every task and cancels every timer. */
  clear(): void;
}

export function createTaskStore(options: TaskStoreOptions): TaskStore {
  const tasks = new Map<string, Task>();
  const waiting = new Map<string, Task[]>();
  const processing = new Map<string, number>();
  const wakeTimers = new Map<string, NodeJS.Timeout>();
  const timers = new Set<NodeJS.Timeout>();

  const schedule = (ms: number, run: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const pumpKey = (key: string) => {
    const queue = waiting.get(key) ?? [];
    const wake = wakeTimers.get(key);
    if (wake) {
      clearTimeout(wake);
      timers.delete(wake);
      wakeTimers.delete(key);
    }
    while (queue.length > 0 && (processing.get(key) ?? 0) < options.concurrencyPerKey()) {
      const head = queue[0]!;
      const dueIn = head.createdAt + options.pendingMs() - options.now();
      if (dueIn > 0) {
        wakeTimers.set(key, schedule(dueIn, () => {
          wakeTimers.delete(key);
          pumpKey(key);
        }));
        return;
      }
      queue.shift();
      start(head);
    }
  };

  const start = (task: Task) => {
    processing.set(task.accessKey, (processing.get(task.accessKey) ?? 0) + 1);
    const now = options.now();
    const processingMs = options.processingMsFor(task);
    Object.assign(task, { status: 'TASK_PROCESSING', startedAt: now, updatedAt: now, processingMs });
    const failure = task.injectedFailure ?? options.checkInputs(task);
    schedule(processingMs, () => finish(task, failure));
  };

  const finish = (task: Task, failure: string | null) => {
    processing.set(task.accessKey, (processing.get(task.accessKey) ?? 1) - 1);
    const now = options.now();
    Object.assign(task, {
      status: failure === null ? 'TASK_SUCCEEDED' : 'TASK_FAILED',
      message: failure,
      finishedAt: now,
      updatedAt: now,
    });
    options.onFinished(task);
    pumpKey(task.accessKey);
  };

  return {
    create(input) {
      const now = options.now();
      const task: Task = {
        ...input,
        id: randomUUID(),
        status: 'TASK_PENDING',
        createdAt: now,
        updatedAt: now,
        startedAt: null,
        processingMs: null,
        finishedAt: null,
        message: null,
      };
      tasks.set(task.id, task);
      const queue = waiting.get(task.accessKey) ?? [];
      queue.push(task);
      waiting.set(task.accessKey, queue);
      pumpKey(task.accessKey);
      return task;
    },
    get: (id) => tasks.get(id),
    list: () => [...tasks.values()],
    pump() {
      for (const key of waiting.keys()) pumpKey(key);
    },
    clear() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      wakeTimers.clear();
      tasks.clear();
      waiting.clear();
      processing.clear();
    },
  };
}

export function summarizeTask(task: Task, videoUrl: string | null): TaskSummary {
  return {
    taskId: task.id,
    accessKey: task.accessKey,
    mode: task.endpoint,
    fingerprint: task.fingerprint,
    status: task.status,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    processingMs: task.processingMs,
    finishedAt: task.finishedAt,
    readyAt: task.status === 'TASK_SUCCEEDED' ? task.finishedAt : null,
    durationSeconds: task.durationSeconds,
    resolution: task.resolution,
    aspectRatio: task.aspectRatio,
    videoUrl,
    message: task.message,
  };
}
