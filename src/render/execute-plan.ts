import { setMaxListeners } from 'node:events';
import type { BachApi } from '../api/types.js';
import { removeLockEntries } from '../lock/update-lockfile.js';
import type { Manifest } from '../manifest/types.js';
import { imagesOf } from '../plan/create-plan.js';
import type { InputDigests } from '../contract/fingerprint.js';
import type { Plan, ShotPlan } from '../plan/types.js';
import type { HashCache } from '../state/hash-cache.js';
import { InDoubtLog } from '../state/in-doubt-log.js';
import type { Journal, JournalEntry } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import type { UploadRecords } from '../state/upload-records.js';
import type { Submitter } from '../submitter/host.js';
import type { Clock } from '../util/clock.js';
import { collectOrphan } from './collect-orphan.js';
import type { Emit, RunReport } from './events.js';
import type { LockWriter } from './lock-writer.js';
import { renderShot, resumeShot } from './render-shot.js';
import { restoreShot } from './restore-shot.js';
import { Semaphore } from './semaphore.js';
import { createEmptyReport, failShot, type RunContext } from './run-context.js';
import { uploadImages, type ImageToUpload } from './upload-images.js';

// The executor: carries out a plan. Uploads run in the background while shots that need no upload
// start at once. One bounded concurrency (`--concurrency`) covers every task in flight on the server —
// new renders from submit to the end of polling, resumed and collected tasks while they are polled —
// and downloads and cache copies run under a transfer pool, so the next submission never waits for a
// file. It emits events and returns a report; it never prints.
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
    options.emit({ type: 'run:interrupted', waitingFor: 0 });
    setTimeout(() => hard.abort(interrupt.reason), options.createGraceMs ?? 3_000).unref();
  };
  if (interrupt.aborted) onInterrupt();
  else interrupt.addEventListener('abort', onInterrupt, { once: true });

  const renders = plan.shots.filter((s) => s.source === 'render');
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
    options: { retries: options.retries, pollIntervalMs: options.pollIntervalMs, allowRerender: options.allowRerender },
    interrupt,
    hardStop: hard.signal,
    clock: options.clock,
    emit: options.emit,
    isCurrent: options.isCurrent ?? (() => true),
    report: createEmptyReport(),
    stop: { reason: null },
    inDoubtLog: new InDoubtLog(options.paths.inDoubt),
    slots: new Semaphore(options.concurrency),
    transfers: new Semaphore(Math.max(2, options.concurrency)),
  };
  const report = context.report;
  // Warnings an earlier build could not show (it was killed before its summary).
  report.inDoubt.push(...context.inDoubtLog.read());

  if (plan.removed.length > 0) {
    await options.lockWriter.update((lock) => removeLockEntries(lock, plan.removed.map((r) => r.id)));
    report.removed = plan.removed.map((r) => r.id);
  }
  const { resume, orphans, inDoubt } = sortJournal(plan, options.journalEntries, options.journal, options.emit);

  const guard = (shotId: string, work: () => Promise<void>) =>
    work().catch((error: unknown) => {
      failShot(context, { id: shotId, message: `shot ${shotId}: ${error instanceof Error ? error.message : String(error)}` });
    });
  const jobs: Promise<void>[] = [];
  for (const entry of orphans) jobs.push(guard(entry.shotId, () => collectOrphan(context, entry)));
  for (const shot of plan.shots) {
    if (shot.kind === 'unchanged') report.unchanged += 1;
    else if (shot.kind === 'skipped') report.skipped += 1;
    else if (shot.source === 'in-flight') {
      const entry = resume.get(shot.fingerprint)!;
      jobs.push(guard(shot.shot.id, () => resumeShot(context, shot, entry)));
    } else if (shot.source === 'cache') {
      jobs.push(guard(shot.shot.id, () => context.transfers.run(() => (interrupt.aborted ? Promise.resolve() : restoreShot(context, shot)))));
    } else if (shot.source === 'render') {
      // Wait for this shot's images outside the limit, so that shots needing no upload are not
      // queued behind ones that do.
      const ready = Promise.allSettled(imagesOf(shot.shot).filter((r) => r.kind === 'file').map((r) => images.urlFor(options.digests.get(r.path)!)));
      const earlier = inDoubt.get(shot.fingerprint) ?? [];
      jobs.push(ready.then(() => guard(shot.shot.id, () => renderShot(context, shot, earlier))));
    }
  }
  await Promise.all(jobs);
  await images.done;
  await options.lockWriter.flush();
  interrupt.removeEventListener('abort', onInterrupt);
  report.interrupted = interrupt.aborted;
  report.stopReason = context.stop.reason;
  report.wallMs = options.clock.now() - started;
  options.emit({ type: 'run:summary', report });
  context.inDoubtLog.clear();
  return report;
}

function imagesNeeded(renders: readonly ShotPlan[], digests: InputDigests): ImageToUpload[] {
  const needed = new Map<string, ImageToUpload>();
  for (const plan of renders) {
    for (const ref of imagesOf(plan.shot)) {
      if (ref.kind !== 'file') continue;
      const sha256 = digests.get(ref.path)!;
      if (!needed.has(sha256)) needed.set(sha256, { sha256, path: ref.path });
    }
  }
  return [...needed.values()];
}

/**
 * Sorts the journal read at start: accepted tasks a planned shot resumes; accepted tasks no shot
 * wants any more (collected into the cache only); submissions whose outcome was never known. Those
 * stay in the journal until their shot is submitted again (see render-shot.ts), so that a build
 * killed again before that still knows — and the shot is finally reported as possibly billed twice.
 */
function sortJournal(plan: Plan, entries: readonly JournalEntry[], journal: Journal, emit: Emit) {
  const resumeWanted = new Set(plan.shots.filter((s) => s.source === 'in-flight').map((s) => s.fingerprint));
  const rendering = new Set(plan.shots.filter((s) => s.source === 'render').map((s) => s.fingerprint));
  const fromCache = new Set(plan.shots.filter((s) => s.source === 'cache').map((s) => s.fingerprint));
  const planned = new Set(plan.shots.map((s) => s.fingerprint));
  const resume = new Map<string, JournalEntry>();
  const orphans: JournalEntry[] = [];
  const inDoubt = new Map<string, JournalEntry[]>();
  for (const entry of entries) {
    if (entry.state === 'submitting') {
      // Never reached a submitter (which would have marked it `sending`): nothing left, nothing billed.
      journal.remove(entry);
    } else if (entry.state === 'sending') {
      if (rendering.has(entry.fingerprint)) {
        inDoubt.set(entry.fingerprint, [...(inDoubt.get(entry.fingerprint) ?? []), entry]);
      } else {
        journal.remove(entry);
        emit({ type: 'notice', level: 'warn', message: `an earlier build was stopped while its request for ${entry.shotId} was on the wire: it may have been billed` });
      }
    } else if (entry.state === 'accepted') {
      if (resumeWanted.has(entry.fingerprint) && !resume.has(entry.fingerprint)) resume.set(entry.fingerprint, entry);
      // Its result was collected into the cache just before an interruption: nothing left to fetch.
      else if (fromCache.has(entry.fingerprint)) journal.remove(entry);
      else orphans.push(entry);
    } else if (entry.state === 'expired' && !planned.has(entry.fingerprint)) {
      journal.remove(entry);
    }
  }
  return { resume, orphans, inDoubt };
}
