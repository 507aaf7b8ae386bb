import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { RequestBody } from '../../src/contract/create-request.js';
import { fingerprintRequest } from '../../src/contract/fingerprint.js';
import type { ClaimOwner } from '../../src/remote/claim-record.js';
import { openTeamCache, type OpenTeamCacheOptions, type TeamCache } from '../../src/remote/open-team-cache.js';
import type { RemoteResult } from '../../src/remote/remote-error.js';
import { resolveRemoteSettings, type EnabledRemoteSettings } from '../../src/remote/remote-settings.js';
import type { ResultFacts } from '../../src/remote/result-record.js';
import { sha256Hex } from '../../src/util/hash.js';

// Builders for the team-cache tests: a shot's result facts (with a real fingerprint, so records pass
// their checks), a video file of a given size, and a team cache opened on a URL and closed after the test.

export function makeResultFacts(label: string, overrides: Partial<Omit<ResultFacts, 'fingerprint'>> = {}): Omit<ResultFacts, 'sha256' | 'size'> {
  const seed = overrides.seed ?? 42;
  const request: RequestBody = overrides.request ?? { model: 'bach-1.0-preview', prompt: `a shot of ${label}`, seed, duration: 6 };
  const mode = overrides.mode ?? 'text-to-video';
  return { fingerprint: fingerprintRequest(mode, request), mode, request, seed, taskId: overrides.taskId ?? `task-${label}` };
}

/** A file of `size` random bytes (a "video": the team cache never looks inside). */
export async function writeVideo(dir: string, name: string, size: number): Promise<{ path: string; sha256: string; size: number }> {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, sha256: sha256Hex(bytes), size };
}

export function makeOwner(name: string): ClaimOwner {
  return { id: `${name}-${randomBytes(4).toString('hex')}`, host: `host-${name}`, pid: 1000 };
}

export interface OpenOptions extends Omit<OpenTeamCacheOptions, 'settings' | 'env' | 'stateDir'> {
  env?: Record<string, string>;
  stateDir: string;
  cwd?: string;
  readOnly?: boolean;
}

/** Opens a team cache on `url` as the CLI would (settings first), closed when the test ends. */
export async function openCache(url: string, options: OpenOptions): Promise<TeamCache> {
  const env = options.env ?? {};
  const settings = resolveRemoteSettings({ flag: url, env, cwd: options.cwd ?? options.stateDir, root: options.cwd ?? options.stateDir, readOnly: options.readOnly });
  if (!settings.enabled) throw new Error('expected a remote');
  const cache = await openTeamCache({ ...options, settings: settings as EnabledRemoteSettings, env, stateDir: options.stateDir });
  onTestFinished(() => cache.close());
  return cache;
}

/** The value of an ok result; a failed one fails the test with its line. */
export function ok<T>(result: RemoteResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error.message}`);
  return result.value;
}

/** The error of a failed result. */
export function failure<T>(result: RemoteResult<T>) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}
