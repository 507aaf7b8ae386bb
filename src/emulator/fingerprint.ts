import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';

// The request fingerprint that stats().submissions.byFingerprint counts, and the key of a create
// request's fault decisions. It is the sha256 (hex) of the canonical JSON (sorted keys) of
//   { "mode": <endpoint: text2video | image2video | multi2video>, "body": <the create body> }
// where every string of the body that is one of this emulator's upload URLs is replaced by
// `{ "sha256": <hex of that image's bytes> }`. Uploading the same image again gives a new URL but the
// same fingerprint, so a client that re-uploads does not look like it submitted a new request.
// A body that is not JSON is fingerprinted by its raw bytes.

export type UploadHashLookup = (url: string) => string | undefined;

export function createRequestFingerprint(endpoint: string, body: unknown, lookupUpload: UploadHashLookup): string {
  return sha256Hex(canonicalJson({ mode: endpoint, body: replaceUploadUrls(body, lookupUpload) }));
}

export function fingerprintRawBody(endpoint: string, raw: Uint8Array): string {
  return sha256Hex(canonicalJson({ mode: endpoint, raw: sha256Hex(raw) }));
}

function replaceUploadUrls(value: unknown, lookupUpload: UploadHashLookup): unknown {
  if (typeof value === 'string') {
    const sha256 = lookupUpload(value);
    return sha256 === undefined ? value : { sha256 };
  }
  if (Array.isArray(value)) return value.map((item) => replaceUploadUrls(item, lookupUpload));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceUploadUrls(item, lookupUpload)]));
  }
  return value;
}
