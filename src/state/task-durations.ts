import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Mode } from '../contract/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isObject, parseJsonOrUndefined } from './shapes.js';

// `.bach/task-durations.json`: how long tasks took, per kind (mode, resolution, duration), so that the
// adaptive poller (render/poll-schedule.ts) can poll a task near its expected end from the first shot
// of the next build (issue 14, item 1). A duration is measured from the create being accepted to the
// first poll that saw the task done: the midpoint of the bracket between the last poll that saw it
// running and that one (render/poll-task.ts).
//
// Bounded: the last WINDOW durations per kind, the MAX_KINDS kinds used most recently. Read through a
// shape check like everything in `.bach/`: a file that is not exactly what this module writes is
// ignored as a whole with the reason (the caller warns), never trusted in part — a planted
// duration can do no worse than make polls late or early, but it is still not used — and the next
// build writes a good one over it.

export const TASK_DURATIONS_FILE = 'task-durations.json';
const VERSION = 1;
/** Durations kept per kind: enough for a stable mean and spread, few enough to follow a server that changes. */
export const WINDOW = 32;
export const MAX_KINDS = 64;
/** A day: longer is no video task's duration, so no number bach-render wrote. */
const MAX_DURATION_MS = 86_400_000;

export interface TaskKind {
  mode: Mode;
  resolution: string;
  /** The video's length in seconds. */
  duration: number;
}

/** `mode|resolution|duration`: the key a kind is kept under. */
export function taskKindKey(kind: TaskKind): string {
  return `${kind.mode}|${kind.resolution}|${kind.duration}`;
}

const KEY = /^(text-to-video|image-to-video|multi-image-to-video)\|[0-9A-Za-z]{1,16}\|\d{1,4}(\.\d{1,3})?$/;

export function taskDurationsPath(stateDir: string): string {
  return join(stateDir, TASK_DURATIONS_FILE);
}

/** The learned durations of one build: loaded once, added to as tasks end, written once at the end. */
export class TaskDurations {
  private readonly kinds: Map<string, number[]>;
  private changed = false;

  constructor(kinds: ReadonlyMap<string, readonly number[]> = new Map()) {
    this.kinds = new Map([...kinds].map(([key, samples]) => [key, [...samples]]));
  }

  samplesFor(kind: TaskKind): readonly number[] {
    return this.kinds.get(taskKindKey(kind)) ?? [];
  }

  add(kind: TaskKind, durationMs: number): void {
    const key = taskKindKey(kind);
    if (!KEY.test(key) || !Number.isFinite(durationMs) || durationMs < 0 || durationMs > MAX_DURATION_MS) return;
    const rounded = Math.max(1, Math.round(durationMs));
    const samples = [...(this.kinds.get(key) ?? []), rounded].slice(-WINDOW);
    // Most recently used last: the first kinds are the ones dropped past MAX_KINDS.
    this.kinds.delete(key);
    this.kinds.set(key, samples);
    while (this.kinds.size > MAX_KINDS) this.kinds.delete(this.kinds.keys().next().value!);
    this.changed = true;
  }

  get isChanged(): boolean {
    return this.changed;
  }

  toJson(): string {
    return `${JSON.stringify({ version: VERSION, kinds: Object.fromEntries(this.kinds) }, null, 1)}\n`;
  }
}

/** The file's content as durations, or why it is not a file this module wrote. */
export function checkTaskDurations(value: unknown): { kinds: Map<string, number[]> } | { why: string } {
  if (!isObject(value)) return { why: 'not a JSON object' };
  if (value.version !== VERSION) return { why: `version is not ${VERSION}` };
  if (!isObject(value.kinds)) return { why: 'kinds is not an object' };
  const entries = Object.entries(value.kinds);
  if (entries.length > MAX_KINDS) return { why: `more than ${MAX_KINDS} kinds` };
  const kinds = new Map<string, number[]>();
  for (const [key, samples] of entries) {
    if (!KEY.test(key)) return { why: `"${key.slice(0, 80)}" is not a mode|resolution|duration key` };
    if (!Array.isArray(samples) || samples.length === 0 || samples.length > WINDOW) return { why: `${key}: not a list of 1 to ${WINDOW} durations` };
    if (!samples.every(isDuration)) return { why: `${key}: a duration is not a whole number of ms from 1 to ${MAX_DURATION_MS}` };
    kinds.set(key, samples as number[]);
  }
  return { kinds };
}

export type ReadTaskDurations = { durations: TaskDurations; warning?: string };

/** The learned durations; a missing file is nothing learned, a bad one is nothing learned plus a warning. */
export async function readTaskDurations(stateDir: string): Promise<ReadTaskDurations> {
  const file = taskDurationsPath(stateDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { durations: new TaskDurations() };
  }
  const checked = checkTaskDurations(parseJsonOrUndefined(text));
  if ('why' in checked) {
    return { durations: new TaskDurations(), warning: `${file} is ignored (${checked.why}): polls follow the fixed interval until tasks are timed again` };
  }
  return { durations: new TaskDurations(checked.kinds) };
}

/** Written atomically, and only when this build learned something. */
export async function writeTaskDurations(stateDir: string, durations: TaskDurations): Promise<void> {
  if (!durations.isChanged) return;
  const file = taskDurationsPath(stateDir);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, durations.toJson());
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_DURATION_MS;
}
