import type { TeamCacheFlags } from '../project/build-settings.js';

// The team-cache flags every command that may use the team cache accepts (build, plan, watch, pull,
// push): `--remote URL`, `--no-remote`, `--remote-read-only`, `--require-remote`. One table, spread
// into each command's parseArgs options, and one step from parsed values to TeamCacheFlags, so the
// commands cannot drift apart. What the flags mean is decided in one place: resolveRemoteSettings
// (remote/remote-settings.ts), reached through the front hall (project/project-remote.ts).

export const REMOTE_OPTIONS = {
  remote: { type: 'string' },
  'no-remote': { type: 'boolean' },
  'remote-read-only': { type: 'boolean' },
  'require-remote': { type: 'boolean' },
} as const;

/** parseArgs values holding REMOTE_OPTIONS (and anything else). */
export interface RemoteFlagValues {
  remote?: string | undefined;
  'no-remote'?: boolean | undefined;
  'remote-read-only'?: boolean | undefined;
  'require-remote'?: boolean | undefined;
}

export function readRemoteFlags(values: RemoteFlagValues): TeamCacheFlags {
  return { url: values.remote, off: values['no-remote'], readOnly: values['remote-read-only'], require: values['require-remote'] };
}
