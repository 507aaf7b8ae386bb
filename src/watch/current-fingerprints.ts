import type { Manifest } from '../manifest/types.js';
import { createPlan } from '../plan/create-plan.js';
import { createPlanInputs } from '../project/create-plan-inputs.js';
import { readProject } from '../project/read-project.js';

// What each shot's fingerprint is *now*, for a manifest loaded while a run is in progress: the
// answer to "is the result this task is about to deliver still what the user wants?" (isCurrent).
// The same reading and planning as a build, so the fingerprints are exactly those the follow-up
// run will plan. Reads only: the stat cache is not written (the run in progress owns it).

export async function readCurrentFingerprints(manifest: Manifest, now: () => number): Promise<Map<string, string>> {
  const project = await readProject(manifest, { label: manifest.file, origin: null, now });
  const plan = createPlan(createPlanInputs(project, { only: [], force: [] }));
  return new Map(plan.shots.map((shot) => [shot.shot.id, shot.fingerprint]));
}
