import { join } from 'node:path';
import type { ShotIdentity } from '../contract/shot-identity.js';
import { setLockEntry } from '../lock/update-lockfile.js';
import { cacheVideoPath, type CacheRecord } from '../state/result-cache.js';
import { keepAlteredOutput } from './keep-altered-output.js';
import { copyVerified } from './place-output.js';
import type { RunContext } from './run-context.js';

// The last step of every shot: the cached video is copied to `<output>/<id>.mp4` (verified,
// atomic), and the lockfile records it at once — so an interrupted build never pays again for
// what finished.

/** Which shot a result is for, as what it was paid for, and where it goes. */
export interface PlaceTarget extends ShotIdentity {
  shotId: string;
  outputPath: string;
}

export async function placeAndLock(context: RunContext, target: PlaceTarget, record: CacheRecord): Promise<void> {
  await keepAlteredOutput(context, target, record.sha256);
  const placed = await copyVerified(
    cacheVideoPath(context.paths.cache, target.fingerprint),
    join(context.manifest.root, target.outputPath),
    record.sha256,
  );
  context.hashCache.setOwn(target.outputPath, placed.stamp, placed.sha256);
  await context.lockWriter.update((lock) =>
    setLockEntry(lock, target.shotId, {
      fingerprint: target.fingerprint,
      mode: target.mode,
      request: target.request,
      seed: target.seed,
      taskId: record.taskId,
      output: { path: target.outputPath, size: placed.size, sha256: placed.sha256 },
    }),
  );
}
