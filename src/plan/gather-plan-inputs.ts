import { BachError } from '../errors.js';
import type { Lockfile } from '../lock/types.js';
import type { Manifest } from '../manifest/types.js';
import type { HashCache } from '../state/hash-cache.js';
import { hashFiles } from '../state/hash-files.js';
import type { JournalEntry } from '../state/journal.js';
import { findDamagedCacheEntries, listCachedFingerprints } from '../state/result-cache.js';
import type { StatePaths } from '../state/paths.js';
import { listLocalFiles } from '../manifest/list-local-files.js';
import { createPlan, outputPathFor, type OutputState, type PlanInputs } from './create-plan.js';
import { findNeighbourWarnings } from './neighbour-manifests.js';
import type { Plan } from './types.js';

// The shell around createPlan: everything the planner needs, read from disk once. Unchanged files
// are not read again (the stat cache); the result cache is listed, and only the records of the
// entries a plan restores from are read (createCheckedPlan).

export interface GatherOptions {
  manifest: Manifest;
  lock: Lockfile;
  paths: StatePaths;
  hashCache: HashCache;
  /** Accepted entries of the journal (tasks already paid for). */
  journal: readonly JournalEntry[];
  /** Image digests uploaded to the API in use (empty when unknown). */
  uploaded: ReadonlySet<string>;
  now: () => number;
  only?: ReadonlySet<string> | undefined;
  force?: ReadonlySet<string> | undefined;
}

export async function gatherPlanInputs(options: GatherOptions): Promise<PlanInputs> {
  const { manifest, lock, paths, hashCache, now } = options;
  const root = manifest.root;
  const inputFiles = listLocalFiles(manifest);
  const outputFiles = manifest.shots.filter((shot) => lock.shots[shot.id]).map((shot) => outputPathFor(manifest, shot.id));
  const [inputs, outputs, cached] = await Promise.all([
    hashFiles(inputFiles, { root, cache: hashCache, now }),
    hashFiles(outputFiles, { root, cache: hashCache, now }),
    listCachedFingerprints(paths.cache),
  ]);
  const digests = new Map<string, string>();
  for (const [path, hashed] of inputs) {
    // The loader checked every file a moment ago; one that vanished since is a race with an editor.
    if (!hashed) throw new BachError('file-vanished', `${path} disappeared while bach-render was reading the manifest`, { hint: 'Run again.' });
    digests.set(path, hashed.sha256);
  }
  const outputStates = new Map<string, OutputState>();
  for (const [path, hashed] of outputs) outputStates.set(path, hashed ? { exists: true, ...hashed } : { exists: false });
  const inFlight = new Map<string, { taskId: string }>();
  const expired = new Map<string, { taskId: string }>();
  for (const entry of options.journal) {
    if (entry.state === 'accepted' && entry.taskId) inFlight.set(entry.fingerprint, { taskId: entry.taskId });
    if (entry.state === 'expired' && entry.taskId) expired.set(entry.fingerprint, { taskId: entry.taskId });
  }
  return {
    manifest,
    digests,
    lock,
    outputs: outputStates,
    cached,
    inFlight,
    expired,
    uploaded: options.uploaded,
    only: options.only,
    force: options.force,
  };
}

/**
 * createPlan, with what the disk can say against it checked first:
 * - the cache entries it would restore from: an entry whose record cannot be read (damaged, truncated,
 *   planted) is dropped from the plan's view with a warning, and the shot is planned as if it were not
 *   cached — its cost shown, rendered again, the entry replaced by the new result. Only the records of
 *   entries the plan uses are read, and the plan is made again only when one of them is damaged;
 * - other manifests in the folder with the same shot ids (neighbour-manifests.ts): a warning.
 */
export async function createCheckedPlan(inputs: PlanInputs, options: { cacheDir: string; warn: (message: string) => void }): Promise<Plan> {
  const plan = await withoutDamagedCacheEntries(createPlan(inputs), inputs, options);
  for (const message of await findNeighbourWarnings(inputs.manifest, plan)) options.warn(message);
  return plan;
}

async function withoutDamagedCacheEntries(plan: Plan, inputs: PlanInputs, options: { cacheDir: string; warn: (message: string) => void }): Promise<Plan> {
  const fromCache = plan.shots.filter((shot) => shot.source === 'cache');
  if (fromCache.length === 0) return plan;
  const damaged = new Set(await findDamagedCacheEntries(options.cacheDir, fromCache.map((shot) => shot.fingerprint)));
  if (damaged.size === 0) return plan;
  const ids = fromCache.filter((shot) => damaged.has(shot.fingerprint)).map((shot) => shot.shot.id);
  options.warn(
    `the cache entr${damaged.size === 1 ? 'y' : 'ies'} of ${ids.join(', ')} in .bach/cache cannot be read (damaged); ` +
      `planned as if not cached: rendered again, and the entry replaced`,
  );
  const cached = new Set(inputs.cached);
  for (const fingerprint of damaged) cached.delete(fingerprint);
  return createPlan({ ...inputs, cached });
}
