import type { Env } from '../api/credentials.js';
import { BachError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import type { ClaimPolicy } from '../remote/claim-record.js';
import type { TeamCache } from '../remote/open-team-cache.js';
import { resolveRemoteSettings, type RemoteSettings } from '../remote/remote-settings.js';
import { statePaths } from '../state/paths.js';
import type { TeamCacheFlags } from './build-settings.js';

// The project's team cache, decided in the front hall once per command, the same way for build,
// plan, pull and push: the flags, then BACH_REMOTE from the PROCESS environment (never the project's
// .env: a branch must not redirect where signed requests go), then the manifest's `remote:` (errors
// name its file:line:col) — resolveRemoteSettings (pure) decides. Opening it imports the team-cache
// code (and, for s3://, the S3 client) only now, only when a remote is used: the no-op build and a
// project without a remote never load it.
//
// Decided: BACH_REMOTE_CLAIM_TIMEOUT (seconds, from the process environment) sets how long a claim may
// go unrenewed before another machine takes it over (default 120 s, renewed every quarter of it). A
// team whose builds run on slow links may want more; the tests want seconds.

export interface ProjectRemoteContext {
  /** The process environment. */
  env: Env;
  cwd: string;
}

export function resolveProjectRemote(flags: TeamCacheFlags | undefined, manifest: Manifest, context: ProjectRemoteContext): RemoteSettings {
  return resolveRemoteSettings({
    flag: flags?.url,
    noRemote: flags?.off,
    readOnly: flags?.readOnly,
    requireRemote: flags?.require,
    env: context.env,
    manifest: manifest.remote && { url: manifest.remote.url, file: manifest.file, line: manifest.remote.pos.line, col: manifest.remote.pos.col },
    cwd: context.cwd,
    root: manifest.root,
  });
}

/** Opens the team cache the settings name (sends nothing); null when none is used. */
export async function openProjectRemote(settings: RemoteSettings, root: string, env: Env): Promise<TeamCache | null> {
  if (!settings.enabled) return null;
  const { openTeamCache } = await import('../remote/open-team-cache.js');
  const claimPolicy = readClaimPolicy(env);
  return openTeamCache({ settings, env, stateDir: statePaths(root).dir, ...(claimPolicy ? { claimPolicy } : {}) });
}

/** BACH_REMOTE_CLAIM_TIMEOUT in seconds (1 to 3600), or undefined for the default policy. */
export function readClaimPolicy(env: Env): ClaimPolicy | undefined {
  const text = env.BACH_REMOTE_CLAIM_TIMEOUT?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) {
    throw new BachError('invalid-remote', `BACH_REMOTE_CLAIM_TIMEOUT must be a number of seconds from 1 to 3600, got "${text}"`);
  }
  const staleAfterMs = Math.round(seconds * 1000);
  return { staleAfterMs, renewEveryMs: Math.max(200, Math.round(staleAfterMs / 4)) };
}
