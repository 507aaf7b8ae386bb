import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { BachApi } from '../api/types.js';
import type { LockEntry } from '../lock/types.js';
import type { TeamCache } from '../remote/open-team-cache.js';
import type { RemoteError } from '../remote/remote-error.js';
import { cacheVideoPath, readCacheRecord, writeCacheRecord, type CacheRecord } from '../state/result-cache.js';
import { commitTempFile, tempPathFor } from '../util/atomic-write.js';
import { sha256File } from '../util/hash.js';
import { freeAlteredName } from './keep-altered-output.js';
import { copyVerified, CorruptCacheError } from './place-output.js';

// `bach-render pull`: the videos bach.lock describes, placed without paying for anything. For each
// locked shot of the manifest, in this order (the first that works wins):
//   1. the output is there with the lock's sha256            → present
//   2. `.bach/cache/` has it (same sha256)                    → placed from the local cache (present)
//   3. the team cache has it (pulled by the lock's sha256)    → team (verified by the remote layer)
//   4. the API still serves the lock's task id                → api (a query and a download: free)
//   5. otherwise                                              → missing, with why
// Nothing is ever submitted. Every video lands in `.bach/cache/` first (atomic, verified against the
// lock), then is copied to its output (atomic, verified again). bach.lock is not written: the outputs
// become exactly what it already describes. An output that differs from the lock (altered by hand) is
// moved aside as `<id>.altered-<UTC stamp>.mp4` first, as a free restore does (keep-altered-output.ts).
// The API is asked only for what the team cache lacks: `api()` opens the client (and reads the keys) on
// first use, so a pull the remote answers fully needs no keys.

export interface PullTarget {
  shotId: string;
  /** Where the output goes, relative to root (the manifest decides it, never the lock). */
  outputPath: string;
  entry: LockEntry;
}

export type PullShotResult =
  | { shotId: string; kind: 'present' | 'local' | 'team' | 'api' }
  | { shotId: string; kind: 'missing'; why: string };

export interface PullEvent {
  done: number;
  total: number;
  result: PullShotResult;
}

export interface PullLockOptions {
  root: string;
  cacheDir: string;
  targets: readonly PullTarget[];
  /** Null: no team cache (or --no-remote). */
  team: TeamCache | null;
  /** Opens the API client on first call; null when there is no way to reach it (no keys). Throws a BachError to stop. */
  api: (() => Promise<BachApi | null>) | null;
  concurrency?: number;
  signal?: AbortSignal;
  now?: () => number;
  onShot?: (event: PullEvent) => void;
  /** A team-cache failure (one line); called once per distinct line. */
  onRemoteError?: (error: RemoteError) => void;
}

export async function pullLockResults(options: PullLockOptions): Promise<PullShotResult[]> {
  const { targets, team } = options;
  const limit = pLimit(options.concurrency ?? 4);
  const seenErrors = new Set<string>();
  const remoteFailed = (error: RemoteError) => {
    if (seenErrors.has(error.message)) return;
    seenErrors.add(error.message);
    options.onRemoteError?.(error);
  };
  let done = 0;
  const finish = (result: PullShotResult): PullShotResult => {
    done += 1;
    options.onShot?.({ done, total: targets.length, result });
    return result;
  };
  return Promise.all(targets.map((target) => limit(async () => finish(await pullOne(target)))));

  async function pullOne(target: PullTarget): Promise<PullShotResult> {
    const { shotId, entry } = target;
    const { fingerprint } = entry;
    const expected = entry.output.sha256;
    const output = join(options.root, target.outputPath);
    const onDisk = await sha256File(output, options.signal).catch(() => null);
    if (onDisk?.sha256 === expected) return { shotId, kind: 'present' };

    const cached = await readCacheRecord(options.cacheDir, fingerprint);
    if (cached?.sha256 === expected && (await place(target, onDisk !== null))) return { shotId, kind: 'local' };

    const reasons: string[] = [];
    if (team) {
      const pulled = await team.pull({ fingerprint, expectedSha256: expected, expectedSize: entry.output.size, destination: cacheVideoPath(options.cacheDir, fingerprint) }, signalOption());
      if (pulled.ok && pulled.value.kind === 'pulled') {
        await writeCacheRecord(options.cacheDir, recordFor(entry));
        if (await place(target, onDisk !== null)) return { shotId, kind: 'team' };
        reasons.push('the pulled video did not match when placed');
      } else if (pulled.ok) {
        reasons.push('not in the team cache');
      } else {
        if (pulled.error.kind === 'aborted') throw options.signal?.reason ?? new Error('pull: stopped');
        remoteFailed(pulled.error);
        reasons.push(pulled.error.kind === 'corrupt' ? 'refused from the team cache (corrupt)' : 'team cache unavailable');
      }
    } else {
      reasons.push('no team cache');
    }

    const fromApi = await fetchFromApi(entry);
    if (fromApi === true) {
      if (await place(target, onDisk !== null)) return { shotId, kind: 'api' };
      reasons.push('the downloaded video did not match when placed');
    } else {
      reasons.push(fromApi);
    }
    return { shotId, kind: 'missing', why: reasons.join('; ') };
  }

  function signalOption() {
    return options.signal ? { signal: options.signal } : {};
  }

  /** The lock's task, downloaded into the cache if the API still serves it; else why not. */
  async function fetchFromApi(entry: LockEntry): Promise<true | string> {
    if (!options.api) return 'no API keys to ask for its task';
    const api = await options.api();
    if (!api) return 'no API keys to ask for its task';
    let task;
    try {
      task = await api.getTask(entry.mode, entry.taskId, signalOption());
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return `the API did not answer for task ${entry.taskId} (${(error as Error).message.split('\n')[0]})`;
    }
    if (task.status !== 'TASK_SUCCEEDED' || !task.videoUrl) return `the API no longer serves task ${entry.taskId} (${task.status})`;
    const target = cacheVideoPath(options.cacheDir, entry.fingerprint);
    await mkdir(options.cacheDir, { recursive: true });
    const temp = tempPathFor(target);
    try {
      const got = await api.download(task.videoUrl, temp, { ...signalOption(), expectedSize: entry.output.size });
      if (got.sha256 !== entry.output.sha256) return `task ${entry.taskId}'s video is not the one bach.lock records (sha256 ${got.sha256.slice(0, 12)}…); not placed`;
      await commitTempFile(temp, target);
      await writeCacheRecord(options.cacheDir, recordFor(entry));
      return true;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return `task ${entry.taskId}'s video could not be downloaded (${(error as Error).message.split('\n')[0]})`;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Cache → output, verified; an output altered by hand is moved aside first. False: the cache entry was damaged (removed). */
  async function place(target: PullTarget, outputExists: boolean): Promise<boolean> {
    const output = join(options.root, target.outputPath);
    if (outputExists) await rename(output, await freeAlteredName(output, (options.now ?? Date.now)()));
    try {
      await copyVerified(cacheVideoPath(options.cacheDir, target.entry.fingerprint), output, target.entry.output.sha256, options.signal);
      return true;
    } catch (error) {
      if (!(error instanceof CorruptCacheError)) throw error;
      await rm(cacheVideoPath(options.cacheDir, target.entry.fingerprint), { force: true });
      return false;
    }
  }
}

function recordFor(entry: LockEntry): CacheRecord {
  return {
    cacheVersion: 1,
    fingerprint: entry.fingerprint,
    mode: entry.mode,
    request: entry.request,
    seed: entry.seed,
    taskId: entry.taskId,
    size: entry.output.size,
    sha256: entry.output.sha256,
  };
}
