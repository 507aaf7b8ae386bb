import type { RequestBody } from './create-request.js';
import type { Mode } from './types.js';

// What a paid-for video is, wherever it is recorded: the lockfile entry, the journal entry, the
// cache record and the planned shot all extend this one record, so they cannot disagree on it.

export interface ShotIdentity {
  /** sha256 of the fingerprint scheme, the mode and `request` (contract/fingerprint.ts). */
  fingerprint: string;
  mode: Mode;
  /** The fingerprinted request: local files as `{ "sha256": … }`, every default applied. */
  request: RequestBody;
  /** The seed sent (also `request.seed`); a seed left out of the manifest is chosen once and kept. */
  seed: number;
}
