import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Mode } from '../contract/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isObject, parseJsonOrUndefined } from './shapes.js';

// `.bach/task-durations.json`: how long tasks took, per kind (mode, resolution, duration), so that the
// adaptive poller (render/poll-schedule.ts) can poll a task near its expected end from the first shot
// of the next build (issue 14, item 1). A task's duration is kept as what polling saw of it: the
// bracket [low, high] (ms since the create was accepted) between the last poll that saw it running
// and the answer that saw it done (render/poll-task.ts; render/estimate-durations.ts fits them).
// Version 1 files (one number per task, a bracket's midpoint) are still read, as exact durations.
//
// Bounded: the last WINDOW durations per kind, the MAX_KINDS kinds used most recently. Read through a
// shape check like everything in `.bach/`: a file that is not exactly what this module writes is
// ignored as a whole with the reason (the caller warns), never trusted in part — a planted
// duration can do no worse than make polls late or early, but it is still not used — and the next
// build writes a good one over it.

export const TASK_DURATIONS_FILE = 'task-durations.json';
const VERSION = 2;
/** Written by earlier releases: one number per task. */
const VERSION_NUMBERS = 1;
/** Durations kept per kind: enough for a stable mean and spread, few enough to follow a server that changes. */
export const WINDOW = 32;
export const MAX_KINDS = 64;
/** A day: longer is no video task's duration, so no number bach-render wrote. */
const MAX_DURATION_MS = 86_400_000;

/** One timed task: its end lies in (lowMs, highMs], ms since its create was accepted; low = high: known exactly. */
export interface DurationSample {
  lowMs: number;
  highMs: number;
}

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
  private readonly kinds: Map<string, DurationSample[]>;
  private changed = false;
  /** The last summary per kind, with the samples it was made from (add() replaces the array) and the function. */
  private readonly summaries = new Map<string, { samples: readonly DurationSample[]; summarize: unknown; summary: unknown }>();

  constructor(kinds: ReadonlyMap<string, readonly DurationSample[]> = new Map()) {
    this.kinds = new Map([...kinds].map(([key, samples]) => [key, [...samples]]));
  }

  samplesFor(kind: TaskKind): readonly DurationSample[] {
    return this.kinds.get(taskKindKey(kind)) ?? [];
  }

  /**
   * `summarize` of the kind's samples, computed again only after a sample was added: every poll asks
   * for it, and a fit is a few thousand steps of arithmetic.
   */
  summaryFor<T>(kind: TaskKind, summarize: (samples: readonly DurationSample[]) => T): T {
    const samples = this.samplesFor(kind);
    const key = taskKindKey(kind);
    const cached = this.summaries.get(key);
    if (cached?.samples === samples && cached.summarize === summarize) return cached.summary as T;
    const summary = summarize(samples);
    this.summaries.set(key, { samples, summarize, summary });
    return summary;
  }

  add(kind: TaskKind, sample: DurationSample): void {
    const key = taskKindKey(kind);
    const { lowMs, highMs } = sample;
    if (!KEY.test(key) || !Number.isFinite(lowMs) || !Number.isFinite(highMs) || lowMs < 0 || highMs < lowMs || highMs > MAX_DURATION_MS) return;
    const rounded = { lowMs: Math.round(lowMs), highMs: Math.max(1, Math.round(highMs)) };
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
    const kinds = Object.fromEntries([...this.kinds].map(([key, samples]) => [key, samples.map((s) => [s.lowMs, s.highMs])]));
    return `${JSON.stringify({ version: VERSION, kinds })}\n`;
  }
}

/** The file's content as durations, or why it is not a file this module wrote (this release or version 1). */
export function checkTaskDurations(value: unknown): { kinds: Map<string, DurationSample[]> } | { why: string } {
  if (!isObject(value)) return { why: 'not a JSON object' };
  if (value.version !== VERSION && value.version !== VERSION_NUMBERS) return { why: `version is not ${VERSION} or ${VERSION_NUMBERS}` };
  const brackets = value.version === VERSION;
  if (!isObject(value.kinds)) return { why: 'kinds is not an object' };
  const entries = Object.entries(value.kinds);
  if (entries.length > MAX_KINDS) return { why: `more than ${MAX_KINDS} kinds` };
  const kinds = new Map<string, DurationSample[]>();
  for (const [key, samples] of entries) {
    if (!KEY.test(key)) return { why: `"${key.slice(0, 80)}" is not a mode|resolution|duration key` };
    if (!Array.isArray(samples) || samples.length === 0 || samples.length > WINDOW) return { why: `${key}: not a list of 1 to ${WINDOW} durations` };
    if (brackets) {
      if (!samples.every(isBracket)) return { why: `${key}: a duration is not a [low, high] pair of whole numbers of ms, 0 ≤ low ≤ high, 1 ≤ high ≤ ${MAX_DURATION_MS}` };
      kinds.set(key, samples.map(([lowMs, highMs]: [number, number]) => ({ lowMs, highMs })));
    } else {
      if (!samples.every(isDuration)) return { why: `${key}: a duration is not a whole number of ms from 1 to ${MAX_DURATION_MS}` };
      kinds.set(key, (samples as number[]).map((ms) => ({ lowMs: ms, highMs: ms })));
    }
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

function isBracket(value: unknown): value is [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [low, high] = value as unknown[];
  return typeof low === 'number' && Number.isSafeInteger(low) && low >= 0 && isDuration(high) && low <= high;
}
