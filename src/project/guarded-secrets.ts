import { dirname } from 'node:path';
import type { Env } from '../api/credentials.js';
import type { GuardedSecret } from '../manifest/rules.js';
import { readDotEnv } from './dotenv.js';

// The keys no prompt may contain (manifest/rules.ts, checkSecrets): the values of BACH_ACCESS_KEY and
// BACH_SECRET_KEY as a build would use them — the environment over the `.env` beside the manifest.
// Found here, in the shell's front hall, and passed to the loader, so the pure rules never read the
// environment. The values go nowhere else: diagnostics name the variable only.

const KEY_NAMES = ['BACH_ACCESS_KEY', 'BACH_SECRET_KEY'] as const;

/** The guarded keys among `env` (the process environment already merged over `.env`). */
export function guardedSecretsOf(env: Env): GuardedSecret[] {
  return KEY_NAMES.flatMap((name) => {
    const value = env[name]?.trim();
    return value ? [{ name, value }] : [];
  });
}

/** For a command that reads no build settings (validate): the `.env` beside the manifest, read once here. */
export async function readGuardedSecrets(manifestFile: string | null, env: Env): Promise<GuardedSecret[]> {
  if (manifestFile === null) return guardedSecretsOf(env);
  // An unreadable .env is the build's to report (it needs the keys); the check uses what it can read.
  const dotenv = await readDotEnv(dirname(manifestFile)).catch(() => null);
  return guardedSecretsOf({ ...dotenv?.values, ...definedOnly(env) });
}

function definedOnly(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
