import { budgetSeconds } from '../plan/create-plan.js';
import { payingShots } from '../plan/free-sources.js';
import { planCallsApi } from '../plan/plan-calls-api.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockfilePathFor } from '../lock/lockfile-io.js';
import type { Manifest } from '../manifest/types.js';
import type { Plan } from '../plan/types.js';
import { persistentOriginOf, type BuildSettings } from '../project/build-settings.js';
import { createCheckedPlan } from '../project/create-checked-plan.js';
import { createPlanInputs } from '../project/create-plan-inputs.js';
import { recordNoOp } from '../project/no-op.js';
import { readProject, type ProjectState } from '../project/read-project.js';
import { writeProjectCaches } from '../project/write-project-caches.js';
import { createEmptyReport, type RunReport } from '../render/run-report.js';
import type { Reporter } from '../report/reporter.js';
import type { StatePaths } from '../state/paths.js';
import { assertProjectLinksInside } from '../state/project-links.js';
import { removeStaleLockfileTemps, removeStaleTempFiles } from '../state/temp-files.js';
import type { Stamp } from '../state/up-to-date.js';
import type { Clock } from '../util/clock.js';
import { loadAfterBuild } from './after-build.js';
import type { Session } from './session.js';

// One build of a loaded manifest: read the project → plan → show the plan (and its cost) → refuse
// over budget → execute → lock. Used by `build` once and by `watch` on every save. Reading and
// planning need nothing from the network; a build with nothing to do never loads the HTTP client.

export interface BuildOnceOptions {
  manifest: Manifest;
  /** How the manifest is named in messages (as the user typed it). */
  label: string;
  settings: BuildSettings;
  /** Null for a dry run: nothing is sent, no folder lock is held. */
  session: Session | null;
  reporter: Reporter;
  interrupt: AbortSignal;
  clock: Clock;
  /** Seconds this build may generate at most (--max-seconds, or what is left of a watch budget). */
  budgetSeconds?: number | undefined;
  isCurrent?: (shotId: string, fingerprint: string) => boolean;
  /** The manifest's stamp before it was read; given, a plan with no changes records the up-to-date snapshot. */
  manifestStamp?: Stamp | null;
  /**
   * Asked, after the plan is shown, before a build that would pay sends anything (a person at a
   * terminal: src/commands/ask-to-pay.ts); false → nothing is sent. Absent: never asked.
   */
  confirm?: (plan: Plan) => Promise<boolean>;
  /**
   * Called when the plan would pay for a shot, before the plan is shown: fetches what is free from
   * outside the folder (the team cache, the tasks bach.lock names: `watch` passes it; `build` fetches
   * before it plans at all, commands/run-build.ts). True when something was fetched: the project is
   * read and planned again, so the plan shown (and paid for) is what is left.
   */
  fetchFree?: (plan: Plan) => Promise<boolean>;
}

export type BuildOutcome =
  | { kind: 'planned'; plan: Plan }
  | { kind: 'over-budget'; plan: Plan }
  | { kind: 'declined'; plan: Plan }
  | { kind: 'done'; plan: Plan; report: RunReport };

export async function buildOnce(options: BuildOnceOptions): Promise<BuildOutcome> {
  const { manifest, settings, reporter, clock, session } = options;
  // Before anything is read from or written to .bach/, the lockfile or the output folder (each run:
  // a link made during a watch session counts too).
  await assertProjectLinksInside({ root: manifest.root, lockfile: lockfilePathFor(manifest.file), output: manifest.output });
  let project = await readProject(manifest, { label: options.label, origin: persistentOriginOf(settings.api), now: clock.now });
  const planOf = (state: ProjectState) =>
    createCheckedPlan(createPlanInputs(state, settings, session?.sessionUploaded() ?? []), { cacheDir: state.paths.cache, warn: (message) => reporter.message('warn', message) });
  // Holding the folder lock: a lockfile write killed midway left its temp file beside bach.yaml (the
  // journal's leftovers are swept once per session by acquireFolder, never here: in watch mode this
  // session's submitter may be writing one right now).
  if (session) await removeStaleLockfileTemps(project.lockPath);
  for (const notice of project.notices) reporter.message('warn', notice);
  let plan = await planOf(project);
  if (session && !settings.dryRun && options.fetchFree && payingShots(plan).length > 0 && (await options.fetchFree(plan))) {
    project = await readProject(manifest, { label: options.label, origin: persistentOriginOf(settings.api), now: clock.now });
    plan = await planOf(project);
  }
  reporter.plan(plan, options.label);
  await recordNoOp(project, plan, { manifestStamp: options.manifestStamp, narrowed: settings.only.length > 0 || settings.force.length > 0 });

  if (settings.dryRun || !session) {
    await writeProjectCaches(project);
    return { kind: 'planned', plan };
  }
  // Weighed with what unanswered earlier creates of re-sent shots may already have cost (plan/create-plan.ts).
  if (options.budgetSeconds !== undefined && budgetSeconds(plan) > options.budgetSeconds) {
    await writeProjectCaches(project);
    return { kind: 'over-budget', plan };
  }
  if (plan.totals.secondsToGenerate > 0 && options.confirm && !(await options.confirm(plan))) {
    await writeProjectCaches(project);
    return { kind: 'declined', plan };
  }
  const collectable = project.journalEntries.some((e) => e.state !== 'expired');
  if (!plan.changes && !collectable) {
    await writeProjectCaches(project);
    return { kind: 'done', plan, report: emptyRun(plan) };
  }
  const report = await execute(options, session, project, plan);
  await writeProjectCaches(project);
  return { kind: 'done', plan, report };
}

async function execute(options: BuildOnceOptions, session: Session, project: ProjectState, plan: Plan): Promise<RunReport> {
  const [{ executePlan }, { LockWriter }] = await Promise.all([import('../render/execute-plan.js'), import('../render/lock-writer.js')]);
  // Keys are needed only by a plan that talks to the API: restoring from the cache needs none.
  if (planCallsApi(plan, project.journalEntries)) session.requireApi();
  const connection = await session.connect((event) => options.reporter.event(event));
  const records = project.uploadRecords;
  if (connection.ephemeral) {
    records.markEphemeral(connection.origin);
    for (const [sha256, url] of connection.sessionUploads) records.set(connection.origin, sha256, url);
  }
  await ensureStateFolder(project.paths);
  await removeStaleTempFiles([join(options.manifest.root, options.manifest.output), project.paths.cache, project.paths.dir]);
  const report = await executePlan({
    plan,
    manifest: options.manifest,
    digests: project.digests,
    api: connection.api,
    submitter: connection.submitter,
    origin: connection.origin,
    ephemeralApi: connection.ephemeral,
    paths: project.paths,
    journal: project.journal,
    journalEntries: project.journalEntries,
    lockWriter: new LockWriter(project.lockPath, project.lock, project.lockText),
    hashCache: project.hashCache,
    uploadRecords: records,
    concurrency: options.settings.concurrency,
    retries: options.settings.retries,
    pollIntervalMs: options.settings.pollIntervalMs,
    adaptivePoll: options.settings.adaptivePoll,
    allowRerender: options.settings.allowRerender,
    interrupt: options.interrupt,
    clock: options.clock,
    emit: (event) => {
      if (event.type === 'shot:submitted') preloadAfterBuild();
      options.reporter.event(event);
    },
    ...(options.isCurrent ? { isCurrent: options.isCurrent } : {}),
  });
  if (connection.ephemeral) for (const [sha256, url] of records.urlsFor(connection.origin)) connection.sessionUploads.set(sha256, url);
  return report;
}

/**
 * What the build does after its last result (after-build.ts) is loaded while it waits for its tasks:
 * a moment after the first create was accepted, once the first creates are out and the process has
 * nothing to do until the first task ends. [decided: 250 ms] The timer does not hold the process.
 */
let preloadScheduled = false;
function preloadAfterBuild(): void {
  if (preloadScheduled) return;
  preloadScheduled = true;
  setTimeout(() => void loadAfterBuild(), 250).unref();
}

function emptyRun(plan: Plan): RunReport {
  return { ...createEmptyReport(), unchanged: plan.totals.unchanged, skipped: plan.totals.skipped };
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
