import { dirname } from 'node:path';
import type { GuardedSecret } from '../manifest/rules.js';
import type { Env } from './credentials.js';
import { readProjectEnv } from './dotenv.js';

// The keys no prompt may contain (manifest/rules.ts, checkSecrets): the values of BACH_ACCESS_KEY and
// BACH_SECRET_KEY as a build would use them — the environment over the `.env` beside the manifest.
// Read here, in the shell, and passed to the loader, so the pure rules never read the environment.
// The values go nowhere else: diagnostics name the variable only.

const KEY_NAMES = ['BACH_ACCESS_KEY', 'BACH_SECRET_KEY'] as const;

export async function readGuardedSecrets(manifestFile: string | null, env: Env): Promise<GuardedSecret[]> {
  let merged: Env = env;
  if (manifestFile !== null) {
    // An unreadable .env is the build's to report (it needs the keys); the check uses what it can read.
    merged = await readProjectEnv(dirname(manifestFile), env).catch(() => env);
  }
  return KEY_NAMES.flatMap((name) => {
    const value = merged[name]?.trim();
    return value ? [{ name, value }] : [];
  });
}
