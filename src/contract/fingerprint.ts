import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import { API_DEFAULTS } from './capabilities.js';
import { buildCreateRequest, type CreateRequest, type RequestBody, type RequestValue } from './create-request.js';
import { FINGERPRINT_SCHEME } from './fingerprint-scheme.js';
import type { Mode, PromptRef, RequestSource } from './types.js';

// The fingerprint of a shot is the sha256 of the canonical JSON of its effective API request (after
// defaults, every local file replaced by the sha256 of its bytes) plus the scheme version. It hashes
// meaning, not location: moving the project, renaming a file to identical content or re-uploading an
// image changes nothing; any change to what the API would receive changes it.
//
// Stability — what a later release may change without moving any existing fingerprint (each rule is
// tested in test/unit/contract/fingerprint-stability.test.ts, and test/fixtures/release-0.1.0 is a
// project built by 0.1.0 that every release must plan as "no changes"):
//   1. A field sent at the API's default fingerprints the same as the field left out. The fields
//      scheme 1 always sends (SENT_AT_DEFAULT: aspect ratio, audio, prompt enhancement, cfg scale;
//      moderation for image-to-video, the subject type with a subject) read as their default when
//      missing; the optional texts scheme 1 leaves out when empty (OMITTED_AT_DEFAULT) read as left
//      out when empty. Sending them or not, at their default, is the request builder's choice.
//   2. A request field added after scheme 1 counts only when it differs from its API default: it is
//      registered in LATER_FIELDS with that default. A shot that does not use it keeps its fingerprint
//      (and its seed, derived from the same body). A field in neither list fails a test.
//   3. A field that does not change the video (callback_url) is never fingerprinted.
//   4. Anything else that would move fingerprints is a new scheme: FINGERPRINT_SCHEME goes up and
//      bach.lock, the journal and .bach/cache are migrated in place (each records the request it was
//      made from, so the new fingerprint can be computed), so that a rendered shot stays rendered and
//      nothing is paid again. Scheme 1 is the only scheme so far.
export { FINGERPRINT_SCHEME };

/** root-relative POSIX path → sha256 hex of the file's bytes. */
export type InputDigests = ReadonlyMap<string, string>;

/** The request fields of scheme 1, the fingerprint's first form. */
export const SCHEME_1_FIELDS: readonly string[] = [
  'model_name', 'prompt', 'negative_prompt', 'audio_prompt', 'generate_audio', 'enhance_prompt', 'cfg_scale',
  'resolution', 'aspect_ratio', 'duration', 'fps', 'seed', 'image_url', 'enable_moderation',
  'subject_name', 'subject_desc', 'subject_type',
];

/** Request fields added since scheme 1, each with its API default (none yet). */
export const LATER_FIELDS: Readonly<Record<string, RequestValue>> = {};

const SENT_AT_DEFAULT: Readonly<Record<string, RequestValue>> = {
  aspect_ratio: API_DEFAULTS.aspect_ratio,
  generate_audio: API_DEFAULTS.generate_audio,
  enhance_prompt: API_DEFAULTS.enhance_prompt,
  cfg_scale: API_DEFAULTS.cfg_scale,
};
const OMITTED_AT_DEFAULT: Readonly<Record<string, RequestValue>> = {
  negative_prompt: API_DEFAULTS.negative_prompt,
  audio_prompt: API_DEFAULTS.audio_prompt,
  subject_desc: API_DEFAULTS.subject_desc,
};
const NEVER_FINGERPRINTED = new Set(['callback_url']);

/** The fingerprinted request (what bach.lock records): local files as `{ sha256 }`, in its stable form. */
export function buildFingerprintRequest(shot: RequestSource, digests: InputDigests, seed: number): CreateRequest {
  const digestOf = (path: string) => {
    const sha256 = digests.get(path);
    if (sha256 === undefined) throw new Error(`no digest for ${path} (the shell must hash every local file first)`);
    return { sha256 };
  };
  const request = buildCreateRequest(shot, {
    seed,
    image: (ref) => (ref.kind === 'file' ? digestOf(ref.path) : ref.url),
    prompt: (ref: PromptRef) => (ref.kind === 'file' ? digestOf(ref.path) : ref.text),
  });
  return { ...request, body: createFingerprintBody(shot.mode, request.body) };
}

export function fingerprintRequest(mode: Mode, request: RequestBody, laterFields: Readonly<Record<string, RequestValue>> = LATER_FIELDS): string {
  return sha256Hex(canonicalJson({ scheme: FINGERPRINT_SCHEME, mode, request: createFingerprintBody(mode, request, laterFields) }));
}

/** The stable form of a request body (rules 1–3 above); on every body scheme 1 builds, it changes nothing. */
export function createFingerprintBody(mode: Mode, body: RequestBody, laterFields: Readonly<Record<string, RequestValue>> = LATER_FIELDS): RequestBody {
  const out: RequestBody = {};
  for (const [key, value] of Object.entries(body)) {
    if (NEVER_FINGERPRINTED.has(key)) continue;
    if (Object.hasOwn(OMITTED_AT_DEFAULT, key) && sameValue(value, OMITTED_AT_DEFAULT[key]!)) continue;
    if (Object.hasOwn(laterFields, key) && sameValue(value, laterFields[key]!)) continue;
    out[key] = value;
  }
  for (const [key, value] of Object.entries(SENT_AT_DEFAULT)) if (!Object.hasOwn(out, key)) out[key] = value;
  if (mode === 'image-to-video' && !Object.hasOwn(out, 'enable_moderation')) out.enable_moderation = API_DEFAULTS.enable_moderation;
  if (Object.hasOwn(out, 'subject_name') && !Object.hasOwn(out, 'subject_type')) out.subject_type = API_DEFAULTS.subject_type;
  return out;
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

function sameValue(a: RequestValue, b: RequestValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
