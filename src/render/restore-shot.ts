import type { CacheShotPlan } from '../plan/types.js';
import { readCacheRecord, removeCacheEntry } from '../state/result-cache.js';
import { CorruptCacheError } from './place-output.js';
import { placeAndLock } from './place-result.js';
import { failShot, type RunContext } from './run-context.js';
import type { ShotOutcome } from './run-report.js';

// A shot whose video is already in `.bach/cache/` (restore, or an edit undone): copied into place
// and locked, no request, no cost. A cache entry that no longer matches its hash is removed and the
// shot reported — the next plan shows honestly that it must be rendered (and what it costs).

export async function restoreShot(context: RunContext, plan: CacheShotPlan): Promise<ShotOutcome> {
  const { shot } = plan;
  context.emit({ type: 'shot:status', id: shot.id, status: 'restoring' });
  const record = await readCacheRecord(context.paths.cache, plan.fingerprint);
  if (!record) return failShot(context, { id: shot.id, message: `shot ${shot.id}: its cache entry disappeared during the build; run again` });
  try {
    await placeAndLock(context, { shotId: shot.id, fingerprint: plan.fingerprint, mode: plan.mode, request: plan.request, seed: plan.seed, outputPath: plan.outputPath }, record);
  } catch (error) {
    if (!(error instanceof CorruptCacheError)) throw error;
    await removeCacheEntry(context.paths.cache, plan.fingerprint);
    return failShot(context, {
      id: shot.id,
      message: `shot ${shot.id}: the cached video was damaged and has been removed; the next build renders it (costs ${shot.duration} s)`,
    });
  }
  // Any journal record of this fingerprint is settled: its result is the one just placed.
  for (const entry of context.journal.list().entries) {
    if (entry.fingerprint === plan.fingerprint && (entry.state === 'accepted' || entry.state === 'expired')) context.journal.remove(entry);
  }
  context.emit({ type: 'shot:done', id: shot.id, how: 'restored', output: plan.outputPath, seconds: 0 });
  return { id: shot.id, kind: 'restored' };
}
