import pLimit from 'p-limit';
import type { LockEntry } from '../lock/types.js';
import type { TeamCache } from '../remote/open-team-cache.js';
import type { RemoteError } from '../remote/remote-error.js';
import { cacheVideoPath, readCacheRecord } from '../state/result-cache.js';

// `bach-render push`: every result bach.lock references that the team cache lacks, uploaded from the
// local cache (for a project that rendered before it had a remote, or after a build that could not
// push). One lookup first (HEADs or LISTs, whichever is cheaper for the count), then a push per absent
// fingerprint. A fingerprint whose local cache entry is gone or does not match the lock is not pushed
// (`no-local`): only the video the lock names may become the team's result. The remote layer never
// overwrites: a result someone else wrote first is reported as `conflict`, and left alone.

export type PushShotResult =
  | { shotId: string; kind: 'pushed' | 'present' }
  | { shotId: string; kind: 'no-local' | 'conflict' | 'failed'; why: string };

export interface PushLockOptions {
  cacheDir: string;
  /** Shot id → its lock entry; one push per fingerprint (shots sharing one are reported together). */
  entries: ReadonlyArray<{ shotId: string; entry: LockEntry }>;
  team: TeamCache;
  concurrency?: number;
  signal?: AbortSignal;
  onShot?: (event: { done: number; total: number; result: PushShotResult }) => void;
}

export type PushLockOutcome = { ok: true; results: PushShotResult[] } | { ok: false; error: RemoteError };

export async function pushLockResults(options: PushLockOptions): Promise<PushLockOutcome> {
  const { team, entries } = options;
  const signal = options.signal ? { signal: options.signal } : {};
  const looked = await team.lookup([...new Set(entries.map(({ entry }) => entry.fingerprint))], signal);
  if (!looked.ok) return looked;
  const limit = pLimit(options.concurrency ?? 4);
  let done = 0;
  let fatal: RemoteError | undefined;
  const results = await Promise.all(
    entries.map(({ shotId, entry }) =>
      limit(async (): Promise<PushShotResult> => {
        const result = await pushOne(shotId, entry, looked.value.present.has(entry.fingerprint));
        done += 1;
        options.onShot?.({ done, total: entries.length, result });
        return result;
      }),
    ),
  );
  return fatal ? { ok: false, error: fatal } : { ok: true, results };

  async function pushOne(shotId: string, entry: LockEntry, inRemote: boolean): Promise<PushShotResult> {
    if (inRemote) return { shotId, kind: 'present' };
    if (fatal) return { shotId, kind: 'failed', why: fatal.message };
    const record = await readCacheRecord(options.cacheDir, entry.fingerprint);
    if (!record || record.sha256 !== entry.output.sha256) {
      return { shotId, kind: 'no-local', why: record ? 'the local cache holds another video for it than bach.lock names' : 'not in the local cache (.bach/cache)' };
    }
    const pushed = await team.push(
      { fingerprint: entry.fingerprint, mode: entry.mode, request: entry.request, seed: entry.seed, taskId: entry.taskId, videoPath: cacheVideoPath(options.cacheDir, entry.fingerprint), sha256: record.sha256 },
      signal,
    );
    if (!pushed.ok) {
      // A failure of the whole remote (or a write refused) stops the rest: they would fail the same way.
      if (pushed.error.disablesRemote || pushed.error.kind === 'denied' || pushed.error.kind === 'read-only') fatal ??= pushed.error;
      return { shotId, kind: 'failed', why: pushed.error.message };
    }
    switch (pushed.value.kind) {
      case 'pushed':
        return { shotId, kind: 'pushed' };
      case 'already-present':
        return { shotId, kind: 'present' };
      case 'conflict':
        return { shotId, kind: 'conflict', why: pushed.value.problem ?? `the team cache holds another take for it (sha256 ${pushed.value.record?.sha256.slice(0, 12) ?? '?'}…), written first; left alone` };
    }
  }
}
