import { buildCreateRequest, type CreateRequest, type RequestBody } from './create-request.js';
import type { Mode, PromptRef, RequestSource } from './types.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import { FINGERPRINT_SCHEME } from './fingerprint-scheme.js';

// The fingerprint of a shot is the sha256 of the canonical JSON of its effective API request (after
// defaults, every local file replaced by the sha256 of its bytes) plus the scheme version. It hashes
// meaning, not location: moving the project, renaming a file to identical content or re-uploading an
// image changes nothing; any change to what the API would receive changes it.
//
export { FINGERPRINT_SCHEME };

/** root-relative POSIX path → sha256 hex of the file's bytes. */
export type InputDigests = ReadonlyMap<string, string>;

export function buildFingerprintRequest(shot: RequestSource, digests: InputDigests, seed: number): CreateRequest {
  const digestOf = (path: string) => {
    const sha256 = digests.get(path);
    if (sha256 === undefined) throw new Error(`no digest for ${path} (the shell must hash every local file first)`);
    return { sha256 };
  };
  return buildCreateRequest(shot, {
    seed,
    image: (ref) => (ref.kind === 'file' ? digestOf(ref.path) : ref.url),
    prompt: (ref: PromptRef) => (ref.kind === 'file' ? digestOf(ref.path) : ref.text),
  });
}

export function fingerprintRequest(mode: Mode, request: RequestBody): string {
  return sha256Hex(canonicalJson({ scheme: FINGERPRINT_SCHEME, mode, request }));
}

/**
 * The seed for a shot whose manifest leaves it out and that has no locked seed yet: derived from the
 * rest of its request, so the plan stays pure (no randomness) and a renamed shot keeps its seed (and
 * its cached video). Once rendered, the lockfile keeps it even when the prompt changes later.
 */
export function deriveSeed(shot: RequestSource, digests: InputDigests): number {
  const { body } = buildFingerprintRequest(shot, digests, 0);
  const { seed: _ignored, ...rest } = body;
  const hex = sha256Hex(canonicalJson({ scheme: FINGERPRINT_SCHEME, purpose: 'seed', mode: shot.mode, request: rest }));
  return Number.parseInt(hex.slice(0, 12), 16) % 10_000_001;
}
