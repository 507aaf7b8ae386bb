import { dirname } from 'node:path';
import type { Env } from '../api/credentials.js';
import type { BuildFlags, BuildSettings } from './build-settings.js';
import { readDotEnv } from './dotenv.js';
import { resolveBuildSettings } from './resolve-build-settings.js';

// The shell around resolveBuildSettings: the `.env` beside the manifest, read once per command.

export async function readBuildSettings(flags: BuildFlags, env: Env, manifestFile: string): Promise<BuildSettings> {
  return resolveBuildSettings(flags, env, await readDotEnv(dirname(manifestFile)));
}
