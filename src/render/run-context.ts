import type { BachApi } from '../api/types.js';
import type { Manifest } from '../manifest/types.js';
import type { InputDigests } from '../contract/fingerprint.js';
import type { InDoubtLog } from '../state/in-doubt-log.js';
import type { HashCache } from '../state/hash-cache.js';
import type { Journal } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import type { Submitter } from '../submitter/host.js';
import type { Clock } from '../util/clock.js';
import type { Emit, RunReport, ShotFailure } from './events.js';
import type { LockWriter } from './lock-writer.js';
import type { ImageUrls } from './upload-images.js';
import type { Semaphore } from './semaphore.js';

// Everything one build's shot workers share. `stop` is set when going on would be pointless or
// costly for every remaining shot (credits exhausted, keys rejected); `interrupt` is Ctrl-C (stop
// submitting, keep what is paid for); `hardStop` fires a grace period later and aborts create
// requests still on the wire.

export interface RunOptions {
  retries: number;
  pollIntervalMs: number;
  allowRerender: boolean;
}

export interface RunContext {
  api: BachApi;
  submitter: Submitter;
  manifest: Manifest;
  digests: InputDigests;
  paths: StatePaths;
  journal: Journal;
  lockWriter: LockWriter;
  hashCache: HashCache;
  images: ImageUrls;
  options: RunOptions;
  interrupt: AbortSignal;
  hardStop: AbortSignal;
  clock: Clock;
  emit: Emit;
  /** Whether a finished result for (shot, fingerprint) may still replace the shot's output (watch mode). */
  isCurrent: (shotId: string, fingerprint: string) => boolean;
  report: RunReport;
  stop: { reason: string | null };
  inDoubtLog: InDoubtLog;
  /** `--concurrency`: tasks in flight on the server (submit → poll). */
  slots: Semaphore;
  /** Downloads and cache copies. */
  transfers: Semaphore;
}

export function createEmptyReport(): RunReport {
  return {
    rendered: [],
    restored: [],
    unchanged: 0,
    skipped: 0,
    removed: [],
    failed: [],
    inDoubt: [],
    notSubmitted: [],
    stopReason: null,
    collected: 0,
    secondsGenerated: 0,
    interrupted: false,
    wallMs: 0,
  };
}

export function failShot(context: RunContext, failure: ShotFailure, willRetry = false): void {
  context.emit({ type: 'shot:failed', id: failure.id, message: failure.message, ...(failure.taskId ? { taskId: failure.taskId } : {}), willRetry });
  if (!willRetry) context.report.failed.push(failure);
}

export function markInDoubt(context: RunContext, shotId: string): void {
  if (context.report.inDoubt.includes(shotId)) return;
  context.report.inDoubt.push(shotId);
  context.inDoubtLog.add(shotId);
}
