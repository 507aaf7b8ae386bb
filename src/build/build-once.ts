import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockfilePathFor, readLockfile } from '../lock/lockfile-io.js';
import type { Manifest } from '../manifest/types.js';
import { createCheckedPlan, gatherPlanInputs } from '../plan/gather-plan-inputs.js';
import { resolveSelection } from '../plan/selection.js';
import type { Plan } from '../plan/types.js';
import type { RunReport } from '../render/events.js';
import { createEmptyReport } from '../render/run-context.js';
import type { Reporter } from '../report/reporter.js';
import { HashCache } from '../state/hash-cache.js';
import { Journal, type JournalEntry } from '../state/journal.js';
import { statePaths, type StatePaths } from '../state/paths.js';
import { assertProjectLinksInside } from '../state/project-links.js';
import { removeStaleLockfileTemps, removeStaleTempFiles } from '../state/temp-files.js';
import { forgetUpToDate, recordUpToDate, stampOf, toRootRelative, type Stamp } from '../state/up-to-date.js';
import { listLocalFiles } from '../manifest/list-local-files.js';
import { snapshotVersion } from '../version.js';
import { UploadRecords } from '../state/upload-records.js';
import type { Clock } from '../util/clock.js';
import type { BuildFlags } from './flags.js';
import type { Session } from './session.js';

// One build of a loaded manifest: read the state → plan → show the plan (and its cost) → refuse
// over budget → execute → lock. Used by `build` once and by `watch` on every save. Reading and
// planning need nothing from the network; a build with nothing to do never loads the HTTP client.

export interface BuildOnceOptions {
  manifest: Manifest;
  /** How the manifest is named in messages (as the user typed it). */
  label: string;
  flags: BuildFlags;
  session: Session | null;
  reporter: Reporter;
  interrupt: AbortSignal;
  clock: Clock;
  /** Seconds this build may generate at most (--max-seconds, or what is left of a watch budget). */
  budgetSeconds?: number | undefined;
  isCurrent?: (shotId: string, fingerprint: string) => boolean;
  /** The manifest's stamp before it was read; given, a plan with no changes records the up-to-date snapshot. */
  manifestStamp?: Stamp | null;
}

export type BuildOutcome =
  | { kind: 'planned'; plan: Plan }
  | { kind: 'over-budget'; plan: Plan }
  | { kind: 'done'; plan: Plan; report: RunReport };

export async function buildOnce(options: BuildOnceOptions): Promise<BuildOutcome> {
  const { manifest, flags, reporter, clock } = options;
  const paths = statePaths(manifest.root);
  const lockPath = lockfilePathFor(manifest.file);
  // Before anything is read from or written to .bach/, the lockfile or the output folder (each run:
  // a link made during a watch session counts too).
  await assertProjectLinksInside({ root: manifest.root, lockfile: lockPath, output: manifest.output });
  const only = resolveSelection(manifest, '--only', flags.only);
  const force = resolveSelection(manifest, '--force', flags.force);
  // Under the folder lock (a session means it is held): a lockfile write killed midway left its temp file.
  if (options.session) await removeStaleLockfileTemps(lockPath);
  const lockStamp = stampOf(lockPath);
  const lockState = await readLockfile(lockPath, lockfilePathFor(options.label));
  const journal = new Journal(paths.journal);
  const { entries, unreadable } = journal.readAll();
  for (const file of unreadable) reporter.message('warn', `${file} is unreadable and was left alone (move it aside if it keeps appearing)`);
  const [hashCache, uploadRecords] = await Promise.all([HashCache.read(paths.hashes), UploadRecords.read(paths.uploads)]);
  const origin = options.session?.persistentOrigin ?? null;
  const uploaded = new Set(origin ? uploadRecords.urlsFor(origin).keys() : (options.session?.sessionUploaded() ?? []));
  const inputs = await gatherPlanInputs({ manifest, lock: lockState.lock, paths, hashCache, journal: entries, uploaded, now: clock.now, only, force });
  const plan = await createCheckedPlan(inputs, { cacheDir: paths.cache, warn: (message) => reporter.message('warn', message) });
  reporter.plan(plan, options.label);
  await noteUpToDate(options, { plan, lockPath, lockStamp, hashCache, journalEntries: entries });

  if (flags.dryRun || !options.session) {
    await saveCaches(paths, hashCache);
    return { kind: 'planned', plan };
  }
  if (options.budgetSeconds !== undefined && plan.totals.secondsToGenerate > options.budgetSeconds) {
    await saveCaches(paths, hashCache);
    return { kind: 'over-budget', plan };
  }
  const collectable = entries.some((e) => e.state !== 'expired');
  if (!plan.changes && !collectable) {
    await saveCaches(paths, hashCache);
    return { kind: 'done', plan, report: emptyRun(plan) };
  }
  const report = await execute(options, { plan, paths, lockPath, lockState, journal, entries, hashCache, uploadRecords, inputs });
  await saveCaches(paths, hashCache);
  return { kind: 'done', plan, report };
}

interface Prepared {
  plan: Plan;
  paths: StatePaths;
  lockPath: string;
  lockState: Awaited<ReturnType<typeof readLockfile>>;
  journal: Journal;
  entries: JournalEntry[];
  hashCache: HashCache;
  uploadRecords: UploadRecords;
  inputs: Awaited<ReturnType<typeof gatherPlanInputs>>;
}

async function execute(options: BuildOnceOptions, prepared: Prepared): Promise<RunReport> {
  const [{ executePlan }, { LockWriter }] = await Promise.all([import('../render/execute-plan.js'), import('../render/lock-writer.js')]);
  const session = options.session!;
  const connection = await session.connect((event) => options.reporter.event(event));
  const records = prepared.uploadRecords;
  if (connection.ephemeral) {
    records.markEphemeral(connection.origin);
    for (const [sha256, url] of connection.sessionUploads) records.set(connection.origin, sha256, url);
  }
  await ensureStateFolder(prepared.paths);
  await removeStaleTempFiles([join(options.manifest.root, options.manifest.output), prepared.paths.cache, prepared.paths.dir]);
  const report = await executePlan({
    plan: prepared.plan,
    manifest: options.manifest,
    digests: prepared.inputs.digests,
    api: connection.api,
    submitter: connection.submitter,
    origin: connection.origin,
    paths: prepared.paths,
    journal: prepared.journal,
    journalEntries: prepared.entries,
    lockWriter: new LockWriter(prepared.lockPath, prepared.lockState.lock, prepared.lockState.text),
    hashCache: prepared.hashCache,
    uploadRecords: prepared.uploadRecords,
    concurrency: options.flags.concurrency,
    retries: options.flags.retries,
    pollIntervalMs: session.pollIntervalMs,
    allowRerender: options.flags.allowRerender,
    interrupt: options.interrupt,
    clock: options.clock,
    emit: (event) => options.reporter.event(event),
    ...(options.isCurrent ? { isCurrent: options.isCurrent } : {}),
  });
  if (connection.ephemeral) for (const [sha256, url] of records.urlsFor(connection.origin)) connection.sessionUploads.set(sha256, url);
  return report;
}

/**
 * A plan with nothing to do (no flags narrowing it, nothing in the journal) is remembered as the
 * up-to-date snapshot, so the next no-op build answers without loading the planner; any other plan
 * retires the snapshot.
 */
export async function noteUpToDate(
  options: { manifest: Manifest; manifestStamp?: Stamp | null | undefined; flags: Pick<BuildFlags, 'only' | 'force'> },
  state: { plan: Plan; lockPath: string; lockStamp: Stamp | null; hashCache: HashCache; journalEntries: readonly JournalEntry[] },
): Promise<void> {
  const { manifest } = options;
  const narrowed = Boolean(options.flags.only?.length || options.flags.force?.length);
  if (state.plan.changes || narrowed || state.journalEntries.length > 0 || options.manifestStamp === undefined) {
    if (state.plan.changes) await forgetUpToDate(manifest.root);
    return;
  }
  const readAt: Record<string, Stamp | null> = {
    [toRootRelative(manifest.root, manifest.file)]: options.manifestStamp,
  };
  if (state.lockStamp) readAt[toRootRelative(manifest.root, state.lockPath)] = state.lockStamp;
  await recordUpToDate({
    manifestFile: manifest.file,
    version: snapshotVersion(),
    shots: state.plan.shots.map((s) => s.shot.id),
    readAt,
    hashed: [...listLocalFiles(manifest), ...state.plan.shots.map((s) => s.outputPath)],
    vouches: (path, stamp) => state.hashCache.get(path, stamp) !== undefined,
  });
}

function emptyRun(plan: Plan): RunReport {
  return { ...createEmptyReport(), unchanged: plan.totals.unchanged, skipped: plan.totals.skipped };
}

async function saveCaches(paths: StatePaths, hashCache: HashCache): Promise<void> {
  try {
    await hashCache.write(paths.hashes);
  } catch (error) {
    // A cache that cannot be written costs only re-hashing next time; a read-only checkout can still plan.
    if ((error as NodeJS.ErrnoException).code !== 'EACCES' && (error as NodeJS.ErrnoException).code !== 'EROFS') throw error;
  }
}

/** `.bach/` with a `.gitignore` of its own, so it stays out of git even without the project's help. */
async function ensureStateFolder(paths: StatePaths): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(paths.dir, { recursive: true });
  await writeFile(join(paths.dir, '.gitignore'), '# bach-render working state: caches, journal, uploads. Safe to delete when no build is running.\n*\n', { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
}
