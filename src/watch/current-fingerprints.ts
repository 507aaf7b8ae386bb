import { lockfilePathFor, readLockfile } from '../lock/lockfile-io.js';
import type { Manifest } from '../manifest/types.js';
import { createPlan } from '../plan/create-plan.js';
import { gatherPlanInputs } from '../project/gather-plan-inputs.js';
import { HashCache } from '../state/hash-cache.js';
import { statePaths } from '../state/paths.js';

// What each shot's fingerprint is *now*, for a manifest loaded while a run is in progress: the
// answer to "is the result this task is about to deliver still what the user wants?" (isCurrent).
// Same inputs as a build — file digests and the lockfile's seeds — through the pure planner, so the
// fingerprints are exactly those the follow-up run will plan. Reads only: the stat cache is read but
// not written (the run in progress owns it), the journal and uploads are not needed.

export async function readCurrentFingerprints(manifest: Manifest, now: () => number): Promise<Map<string, string>> {
  const paths = statePaths(manifest.root);
  const [{ lock }, hashCache] = await Promise.all([readLockfile(lockfilePathFor(manifest.file)), HashCache.read(paths.hashes)]);
  const inputs = await gatherPlanInputs({ manifest, lock, paths, hashCache, journal: [], uploaded: new Set(), now });
  const plan = createPlan(inputs);
  return new Map(plan.shots.map((shot) => [shot.shot.id, shot.fingerprint]));
}
