// The key layout of a team cache, the same for S3 and for a folder (pure). Versioned: a future layout
// lives beside this one under `v2/`, so old and new tools can share a bucket during a migration.
//
//   v1/results/<fingerprint>.json              the result record (metadata; written once: the commit point)
//   v1/videos/<sha256>.mp4                     the video, addressed by its content (written once)
//   v1/claims/<fingerprint>/<generation>.json  who is rendering the shot right now (see claims.ts)
//   v1/probes/<random>.json                    the capability check's scratch objects (removed after)
//
// Decided: the video is keyed by its sha256, not by the fingerprint. Two takes of one fingerprint (two
// machines that rendered it before claims existed) then never fight over one key: the record decides
// which take is the result, and a video that is present is always the bytes its name says (a pull
// verifies it anyway). A pull that knows the sha256 from bach.lock fetches the video in one request.
// Records are listed under their own prefix so that one LIST page answers 1,000 fingerprints.

export const LAYOUT = 'v1';
export const RESULTS_PREFIX = `${LAYOUT}/results/`;
export const VIDEOS_PREFIX = `${LAYOUT}/videos/`;
export const CLAIMS_PREFIX = `${LAYOUT}/claims/`;
export const PROBES_PREFIX = `${LAYOUT}/probes/`;

const HEX64 = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

export function resultKey(fingerprint: string): string {
  return `${RESULTS_PREFIX}${checkHex(fingerprint, 'fingerprint')}.json`;
}

export function videoKey(sha256: string): string {
  return `${VIDEOS_PREFIX}${checkHex(sha256, 'sha256')}.mp4`;
}

export function claimPrefix(fingerprint: string): string {
  return `${CLAIMS_PREFIX}${checkHex(fingerprint, 'fingerprint')}/`;
}

/** Generations are zero-padded so that the server's key order (LIST) is their numeric order. */
export function claimKey(fingerprint: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1 || generation > 9_999_999_999) {
    throw new RangeError(`claimKey: generation ${generation} is out of range`);
  }
  return `${claimPrefix(fingerprint)}${String(generation).padStart(10, '0')}.json`;
}

export function probeKey(id: string): string {
  if (!/^[0-9a-z-]{8,64}$/.test(id)) throw new RangeError(`probeKey: bad id ${id}`);
  return `${PROBES_PREFIX}${id}.json`;
}

/** The fingerprint of a result record's key, or undefined for any other key. */
export function parseResultKey(key: string): string | undefined {
  const match = /^v1\/results\/([0-9a-f]{64})\.json$/.exec(key);
  return match?.[1];
}

/** The generation of a claim key of this fingerprint, or undefined for any other key. */
export function parseClaimGeneration(fingerprint: string, key: string): number | undefined {
  const prefix = claimPrefix(fingerprint);
  if (!key.startsWith(prefix)) return undefined;
  const match = /^(\d{10})\.json$/.exec(key.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

function checkHex(value: string, what: string): string {
  // Keys are built from fingerprints and hashes only; anything else is a bug that could escape the layout.
  if (!HEX64.test(value)) throw new RangeError(`not a ${what} (64 lower-case hex digits): ${JSON.stringify(value).slice(0, 80)}`);
  return value;
}
