import type { BachApi } from '../api/types.js';
import type { InputDigests } from '../contract/fingerprint.js';
import type { Manifest } from '../manifest/types.js';
import type { HashCache } from '../state/hash-cache.js';
import type { InDoubtLog } from '../state/in-doubt-log.js';
import type { Journal } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import type { TaskDurations } from '../state/task-durations.js';
import type { Submitter } from '../submitter/host.js';
import type { Clock } from '../util/clock.js';
import type { CreatesInFlight } from './creates-in-flight.js';
import type { Emit } from './events.js';
import type { LockWriter } from './lock-writer.js';
import type { ShotFailure, ShotOutcome } from './run-report.js';
import type { Semaphore } from './semaphore.js';
import type { ImageUrls } from './upload-images.js';

// What one build's shot workers share: the services they call and the signals that coordinate them.
// It holds no result: each worker returns its ShotOutcome. `stop` is set when going on would be
// pointless or costly for every remaining shot (credits exhausted, keys rejected); `interrupt` is
// Ctrl-C (stop submitting, keep what is paid for); `hardStop` fires a grace period later and aborts
// create requests still on the wire.

export interface RunOptions {
  retries: number;
  pollIntervalMs: number;
  /** Poll near each task's learned end (poll-schedule.ts); false (`BACH_POLL=fixed`): every pollIntervalMs. */
  adaptivePoll: boolean;
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
  stop: { reason: string | null };
  inDoubtLog: InDoubtLog;
  /** The API's origin (what a network failure names: the address tried). */
  apiOrigin: string;
  /** `--emulator`: every journal entry written is marked ephemeral (journal.ts). */
  ephemeralApi: boolean;
  /** `--concurrency`: tasks in flight on the server (submit → poll). */
  slots: Semaphore;
  /** Downloads and cache copies. */
  transfers: Semaphore;
  /** Create requests sent and not yet answered: a finished task's download waits for them (creates-in-flight.ts). */
  creates: CreatesInFlight;
  /** How long tasks took, per kind: learned from earlier builds and this one (`.bach/task-durations.json`). */
  durations: TaskDurations;
}

/** A shot that failed for this build: said at once (`shot:failed`), reported in the summary through its outcome. */
export function failShot(context: Pick<RunContext, 'emit'>, failure: ShotFailure): ShotOutcome & { kind: 'failed' } {
  context.emit({
    type: 'shot:failed',
    id: failure.id,
    message: failure.message,
    ...(failure.taskId ? { taskId: failure.taskId } : {}),
    willRetry: false,
    ...(failure.internal ? { internal: true as const } : {}),
  });
  return { id: failure.id, kind: 'failed', failure };
}

/**
 * A shot whose create request may have been billed twice: written to `.bach/in-doubt.json` at once
 * (a build killed before its summary must not take the warning with it); its outcome says so too.
 */
export function recordInDoubt(context: Pick<RunContext, 'inDoubtLog'>, shotId: string): void {
  context.inDoubtLog.add(shotId);
}
