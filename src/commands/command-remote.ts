import type { Manifest } from '../manifest/types.js';
import { openProjectRemote, resolveProjectRemote } from '../project/project-remote.js';
import type { TeamCache } from '../remote/open-team-cache.js';
import type { RemoteSettings } from '../remote/remote-settings.js';
import type { CliContext } from '../util/cli-context.js';
import { readRemoteFlags } from './remote-flags.js';

// The team-cache flags of `pull` and `push` (`--remote URL`, `--no-remote`, `--remote-read-only`,
// `--require-remote`) and the run's team cache opened from them, the process environment (never the
// project's .env: AWS_* and BACH_REMOTE come from the environment alone) and the manifest's `remote:`.
// The flags and their meaning are shared with build/plan/watch: remote-flags.ts and the front hall's
// project/project-remote.ts.

export { REMOTE_OPTIONS } from './remote-flags.js';

export interface RemoteFlags {
  remote?: string | undefined;
  'no-remote'?: boolean | undefined;
  'remote-read-only'?: boolean | undefined;
  'require-remote'?: boolean | undefined;
}

export type CommandRemote = { settings: RemoteSettings; cache: TeamCache | null };

/** Decides the settings (throws BachError/UsageError for settings that cannot work) and opens the cache; sends nothing. */
export async function openCommandRemote(flags: RemoteFlags, manifest: Manifest, context: Pick<CliContext, 'cwd' | 'env'>): Promise<CommandRemote> {
  const settings = resolveProjectRemote(readRemoteFlags(flags), manifest, context);
  return { settings, cache: await openProjectRemote(settings, manifest.root, context.env) };
}
