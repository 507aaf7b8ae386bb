import type { ShotIdentity } from '../contract/shot-identity.js';

// bach.lock: committed to git, so deterministic (sorted keys, no timestamps, trailing newline) and
// free of secrets. One entry per rendered shot, keyed by shot id.

export const LOCKFILE_VERSION = 1;

export interface LockOutput {
  /** Relative to the manifest's folder, POSIX separators. */
  path: string;
  size: number;
  sha256: string;
}

/**
 * A rendered shot: what was paid for (the identity: fingerprint, mode, the fingerprinted request —
 * so a later plan can say which fields and files changed — and the seed, chosen once and kept),
 * the task that made it, and the output it was placed as.
 */
export interface LockEntry extends ShotIdentity {
  taskId: string;
  output: LockOutput;
}

export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  shots: Record<string, LockEntry>;
}

export function emptyLockfile(): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, shots: {} };
}
