import { createPlan, type PlanInputs } from '../plan/create-plan.js';
import type { Plan } from '../plan/types.js';
import { findDamagedCacheEntries } from '../state/result-cache.js';
import { findNeighbourWarnings } from './neighbour-manifests.js';

// createPlan (pure), with what the disk can say against it checked first — the shell step between
// the front hall's inputs and the plan a build or `plan` shows:
// - the cache entries it would restore from: an entry whose record cannot be read (damaged, truncated,
//   planted) is dropped from the plan's view with a warning, and the shot is planned as if it were not
//   cached — its cost shown, rendered again, the entry replaced by the new result. Only the records of
//   entries the plan uses are read, and the plan is made again only when one of them is damaged;
// - other manifests in the folder with the same shot ids (neighbour-manifests.ts): a warning.

export interface CheckedPlanOptions {
  cacheDir: string;
  warn: (message: string) => void;
}

export async function createCheckedPlan(inputs: PlanInputs, options: CheckedPlanOptions): Promise<Plan> {
  const plan = await withoutDamagedCacheEntries(createPlan(inputs), inputs, options);
  for (const message of await findNeighbourWarnings(inputs.manifest, plan)) options.warn(message);
  return plan;
}

async function withoutDamagedCacheEntries(plan: Plan, inputs: PlanInputs, options: CheckedPlanOptions): Promise<Plan> {
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
