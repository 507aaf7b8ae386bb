import type { Manifest } from '../manifest/types.js';
import { openTeamCache, type TeamCache } from '../remote/open-team-cache.js';
import { resolveRemoteSettings, type RemoteSettings } from '../remote/remote-settings.js';
import { statePaths } from '../state/paths.js';
import type { CliContext } from '../util/cli-context.js';

// The team-cache flags of `pull` and `push` (`--remote URL`, `--no-remote`, `--remote-read-only`,
// `--require-remote`) and the run's team cache opened from them, the process environment (never the
// project's .env: AWS_* and BACH_REMOTE come from the environment alone) and the manifest's `remote:`.
// Interim: helper team-build brings the same flags for build/plan/watch and the project's remote in the
// front hall (src/project/); once it is on main this file should shrink to a call of that.

export const REMOTE_OPTIONS = {
  remote: { type: 'string' },
  'no-remote': { type: 'boolean' },
  'remote-read-only': { type: 'boolean' },
  'require-remote': { type: 'boolean' },
} as const;

export interface RemoteFlags {
  remote?: string | undefined;
  'no-remote'?: boolean | undefined;
  'remote-read-only'?: boolean | undefined;
  'require-remote'?: boolean | undefined;
}

export type CommandRemote = { settings: RemoteSettings; cache: TeamCache | null };

/** Decides the settings (throws BachError/UsageError for settings that cannot work) and opens the cache; sends nothing. */
export async function openCommandRemote(flags: RemoteFlags, manifest: Manifest, context: Pick<CliContext, 'cwd' | 'env'>): Promise<CommandRemote> {
  const settings = resolveRemoteSettings({
    flag: flags.remote,
    noRemote: flags['no-remote'],
    readOnly: flags['remote-read-only'],
    requireRemote: flags['require-remote'],
    env: context.env,
    manifest: manifest.remote && { url: manifest.remote.url, file: manifest.file, line: manifest.remote.pos.line, col: manifest.remote.pos.col },
    cwd: context.cwd,
    root: manifest.root,
  });
  if (!settings.enabled) return { settings, cache: null };
  return { settings, cache: await openTeamCache({ settings, env: context.env, stateDir: statePaths(manifest.root).dir }) };
}
