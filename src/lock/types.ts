import type { Mode } from '../contract/types.js';
import type { RequestBody } from '../contract/create-request.js';

// bach.lock: committed to git, so deterministic (sorted keys, no timestamps, trailing newline) and
// free of secrets. One entry per rendered shot, keyed by shot id.

export const LOCKFILE_VERSION = 1;

export interface LockOutput {
  /** Relative to the manifest's folder, POSIX separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface LockEntry {
  fingerprint: string;
  mode: Mode;
  /**
   * The fingerprinted request (local files as `{ "sha256": … }`). Kept so that a later plan can say
   * which fields and files changed, and so that the lock documents exactly what was paid for.
   */
  request: RequestBody;
  /** The seed the shot was rendered with; a seed left out of the manifest is chosen once and kept here. */
  seed: number;
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
