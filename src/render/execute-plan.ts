import { setMaxListeners } from 'node:events';
import type { BachApi } from '../api/types.js';
import { removeLockEntries } from '../lock/update-lockfile.js';
import type { Manifest } from '../manifest/types.js';
import { imagesOf } from '../plan/create-plan.js';
import type { InputDigests } from '../contract/fingerprint.js';
import type { InFlightShotPlan, Plan, RenderShotPlan } from '../plan/types.js';
import type { HashCache } from '../state/hash-cache.js';
import { InDoubtLog } from '../state/in-doubt-log.js';
import type { Journal, JournalEntry } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import { readTaskDurations, writeTaskDurations } from '../state/task-durations.js';
import type { UploadRecords } from '../state/upload-records.js';
import type { Submitter } from '../submitter/host.js';
import type { Clock } from '../util/clock.js';
import { classifyJournal } from './classify-journal.js';
import { collectOrphan } from './collect-orphan.js';
import { CreatesInFlight } from './creates-in-flight.js';
import { describeWorkerError } from './describe-worker-error.js';
import type { Emit } from './events.js';
import type { LockWriter } from './lock-writer.js';
import { renderShot, resumeShot } from './render-shot.js';
import { restoreShot } from './restore-shot.js';
import { failShot, type RunContext } from './run-context.js';
import { createRunReport, type RunReport, type ShotFailure, type ShotOutcome } from './run-report.js';
import { Semaphore } from './semaphore.js';
import { settleJournal } from './settle-journal.js';
import { uploadImages, type ImageToUpload } from './upload-images.js';

// The executor: carries out a plan. Uploads run in the background while shots that need no upload
// start at once. One bounded concurrency (`--concurrency`) covers every task in flight on the server —
// new renders from submit to the end of polling, resumed and collected tasks while they are polled —
// and downloads and cache copies run under a transfer pool, so the next submission never waits for a
// file; a download even lets the creates in flight reach the server first (creates-in-flight.ts). Each job returns its shot's outcome, folded into the run report at the end (run-report.ts);
// it emits events as it goes and never prints.
//
// Ctrl-C (`interrupt`): nothing new is submitted, polls and downloads stop at once (their tasks stay
// in the journal and resume next build), and create requests already on the wire get `createGraceMs`
// to return their task id before they are aborted too.

export interface ExecuteOptions {
  plan: Plan;
  manifest: Manifest;
  digests: InputDigests;
  api: BachApi;
  /** Sends the create requests and records accepted task ids (submitter/host.ts). */
  submitter: Submitter;
  /** API origin: upload records are kept per server. */
  origin: string;
  /** The API is an embedded emulator: its tasks end with this process (journal entries say so). */
  ephemeralApi?: boolean;
  paths: StatePaths;
  journal: Journal;
  /** The journal as read before planning. */
  journalEntries: readonly JournalEntry[];
  lockWriter: LockWriter;
  hashCache: HashCache;
  uploadRecords: UploadRecords;
  concurrency: number;
  retries: number;
  pollIntervalMs: number;
  /** Poll near each task's learned end (default); false: every pollIntervalMs, as before (`BACH_POLL=fixed`). */
  adaptivePoll?: boolean;
  allowRerender: boolean;
  createGraceMs?: number;
  maxBatchBytes?: number;
  interrupt: AbortSignal;
  clock: Clock;
  emit: Emit;
  isCurrent?: (shotId: string, fingerprint: string) => boolean;
}

export async function executePlan(options: ExecuteOptions): Promise<RunReport> {
  const started = options.clock.now();
  const { plan, interrupt } = options;
  const hard = new AbortController();
  setMaxListeners(0, hard.signal);
  const onInterrupt = () => {
    options.emit({ type: 'run:interrupted' });
    setTimeout(() => hard.abort(interrupt.reason), options.createGraceMs ?? 3_000).unref();
  };
  if (interrupt.aborted) onInterrupt();
  else interrupt.addEventListener('abort', onInterrupt, { once: true });

  const renders = plan.shots.filter((s): s is RenderShotPlan => s.source === 'render');
  const images = uploadImages({
    api: options.api,
    root: options.manifest.root,
    origin: options.origin,
    records: options.uploadRecords,
    images: imagesNeeded(renders, options.digests),
    signal: interrupt,
    emit: options.emit,
    ...(options.maxBatchBytes ? { maxBatchBytes: options.maxBatchBytes } : {}),
  });
  // What earlier builds learned about task durations; a damaged file is ignored with a warning.
  const learned = await readTaskDurations(options.paths.dir);
  if (learned.warning) options.emit({ type: 'notice', level: 'warn', message: learned.warning });
  const context: RunContext = {
    api: options.api,
    submitter: options.submitter,
    manifest: options.manifest,
    digests: options.digests,
    paths: options.paths,
    journal: options.journal,
    lockWriter: options.lockWriter,
    hashCache: options.hashCache,
    images,
    options: { retries: options.retries, pollIntervalMs: options.pollIntervalMs, adaptivePoll: options.adaptivePoll ?? true, allowRerender: options.allowRerender },
    interrupt,
    hardStop: hard.signal,
    clock: options.clock,
    emit: options.emit,
    isCurrent: options.isCurrent ?? (() => true),
    stop: { reason: null },
    inDoubtLog: new InDoubtLog(options.paths.inDoubt),
    ephemeralApi: options.ephemeralApi ?? false,
    apiOrigin: options.origin,
    slots: new Semaphore(options.concurrency),
    transfers: new Semaphore(Math.max(2, options.concurrency)),
    creates: new CreatesInFlight(),
    durations: learned.durations,
  };
  // Warnings an earlier build could not show (it was killed before its summary).
  const earlierInDoubt = context.inDoubtLog.read();

  if (plan.removed.length > 0) await options.lockWriter.update((lock) => removeLockEntries(lock, plan.removed.map((r) => r.id)));
  const journal = classifyJournal(plan, options.journalEntries);
  settleJournal(options.journal, journal, options.emit);

  const guard = (shotId: string, work: () => Promise<ShotOutcome>) => work().catch((error: unknown) => failShot(context, describeWorkerError(shotId, error)));
  const resumed = new Map(journal.resume.map(({ shot, entry }) => [shot, entry]));
  const jobs: Promise<ShotOutcome>[] = journal.orphans.map((entry) => guard(entry.shotId, () => collectOrphan(context, entry)));
  for (const shot of plan.shots) {
    const id = shot.shot.id;
    if (shot.source === 'in-flight') {
      const entry = resumed.get(shot);
      jobs.push(entry ? guard(id, () => resumeShot(context, shot, entry)) : Promise.resolve(failShot(context, lostTask(shot))));
    } else if (shot.source === 'cache') {
      jobs.push(guard(id, () => context.transfers.run(() => (interrupt.aborted ? Promise.resolve<ShotOutcome>({ id, kind: 'left' }) : restoreShot(context, shot)))));
    } else if (shot.source === 'render' && shot.heldInDoubt) {
      // Not sent: the person decides (--force ID). Its `sending` records stay, so every build says so.
      jobs.push(Promise.resolve(failShot(context, { id, message: `held in doubt: an earlier create request for it got no answer and may have been billed (${shot.shot.duration} s); nothing was sent — check your Bach account, then --force ${id} to send it again` })));
    } else if (shot.source === 'render') {
      // Wait for this shot's images outside the limit, so that shots needing no upload are not
      // queued behind ones that do.
      const ready = Promise.resolve()
        .then(() => Promise.allSettled(localImageDigests(shot, options.digests).map((sha256) => images.urlFor(sha256))))
        .catch(() => {}); // a missing digest fails the shot itself (wire-body.ts), through its guard
      const earlier = journal.inDoubt.get(shot.fingerprint) ?? [];
      jobs.push(ready.then(() => guard(id, () => renderShot(context, shot, earlier))));
    }
  }
  const outcomes = await Promise.all(jobs);
  await images.done;
  await options.lockWriter.flush();
  await writeTaskDurations(options.paths.dir, context.durations).catch((error: unknown) => {
    // Only a poll schedule is lost: the next build polls at the fixed interval until it has timed tasks again.
    options.emit({ type: 'notice', level: 'warn', message: `could not keep the task durations learned (${error instanceof Error ? error.message : String(error)})` });
  });
  interrupt.removeEventListener('abort', onInterrupt);
  const report = createRunReport(outcomes, {
    unchanged: plan.totals.unchanged,
    skipped: plan.totals.skipped,
    removed: plan.removed.map((r) => r.id),
    earlierInDoubt,
    interrupted: interrupt.aborted,
    ephemeralApi: options.ephemeralApi ?? false,
    stopReason: context.stop.reason,
    wallMs: options.clock.now() - started,
  });
  options.emit({ type: 'run:summary', report });
  context.inDoubtLog.clear();
  return report;
}

function imagesNeeded(renders: readonly RenderShotPlan[], digests: InputDigests): ImageToUpload[] {
  const needed = new Map<string, ImageToUpload>();
  for (const plan of renders) {
    for (const ref of imagesOf(plan.shot)) {
      if (ref.kind !== 'file') continue;
      const sha256 = digestOf(digests, ref.path);
      if (!needed.has(sha256)) needed.set(sha256, { sha256, path: ref.path });
    }
  }
  return [...needed.values()];
}

function localImageDigests(plan: RenderShotPlan, digests: InputDigests): string[] {
  return imagesOf(plan.shot).flatMap((ref) => (ref.kind === 'file' ? [digestOf(digests, ref.path)] : []));
}

function digestOf(digests: InputDigests, path: string): string {
  const sha256 = digests.get(path);
  if (sha256 === undefined) throw new Error(`no digest for ${path} (readProject hashes every local file)`);
  return sha256;
}

function lostTask(shot: InFlightShotPlan): ShotFailure {
  return {
    id: shot.shot.id,
    message: `shot ${shot.shot.id}: task ${shot.inFlightTaskId} is no longer in .bach/journal (was it moved during the build?); run again`,
    taskId: shot.inFlightTaskId,
  };
}
