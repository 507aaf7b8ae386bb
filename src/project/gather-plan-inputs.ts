import { BachError } from '../errors.js';
import type { Lockfile } from '../lock/types.js';
import type { Manifest } from '../manifest/types.js';
import type { HashCache } from '../state/hash-cache.js';
import { hashFiles } from '../state/hash-files.js';
import type { JournalEntry } from '../state/journal.js';
import { listCachedFingerprints } from '../state/result-cache.js';
import type { StatePaths } from '../state/paths.js';
import { listLocalFiles } from '../manifest/list-local-files.js';
import { outputPathFor, type OutputState, type PlanInputs } from '../plan/create-plan.js';

// The shell around createPlan: everything the planner needs, read from disk once. Unchanged files
// are not read again (the stat cache); the result cache is listed, not read.

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
