import { createHmac, timingSafeEqual } from 'node:crypto';
import { MODES } from '../contract/capabilities.js';
import type { RequestBody, RequestValue } from '../contract/create-request.js';
import type { Mode } from '../manifest/types.js';
import { fingerprintRequest } from '../contract/fingerprint.js';
import { canonicalJson, canonicalJsonPretty } from '../util/canonical-json.js';
import { isSha256Hex } from './keys.js';

// The result record: the small JSON object stored beside a video, under the shot's fingerprint. It
// says which video is the result (sha256, size) and what was paid for (mode, the fingerprinted
// request, seed, task id), so a clone without a bach.lock entry can place the video and write one.
// Pure: build, serialise, parse (with every field checked — a record is untrusted input), sign, verify.
//
// Signature (optional; Turborepo signs its artifacts the same way): `hmac-sha256:<hex>` of the
// canonical JSON of the record without its `signature` member, keyed by BACH_REMOTE_SIGNING_KEY. Only
// jobs holding the key can write a record that a keyed reader accepts. Unknown members are kept in the
// signed text (a newer tool may add some) but ignored.

export const RECORD_FORMAT = 'bach-render/result';
/** A record is a few KB (the request holds prompts of up to 10,000 characters); more is not a record. */
export const MAX_RECORD_BYTES = 256 * 1024;

export interface ResultFacts {
  fingerprint: string;
  sha256: string;
  size: number;
  mode: Mode;
  /** The fingerprinted request (local files as `{ sha256 }`), as bach.lock holds it. */
  request: RequestBody;
  seed: number;
  taskId: string;
}

export interface ResultRecord extends ResultFacts {
  format: typeof RECORD_FORMAT;
  version: 1;
  /** `bach-render <version>` of the writer. */
  tool: string;
  /** ISO time of the push (informative; never compared). */
  createdAt: string;
  signature?: string;
}

export type ParsedRecord =
  | { ok: true; record: ResultRecord; signed: boolean }
  | { ok: false; problem: string };

export function createResultRecord(facts: ResultFacts, options: { tool: string; createdAt: string; signingKey?: string }): ResultRecord {
  const record: ResultRecord = { format: RECORD_FORMAT, version: 1, ...facts, tool: options.tool, createdAt: options.createdAt };
  if (options.signingKey !== undefined) record.signature = signRecord(record as unknown as Record<string, unknown>, options.signingKey);
  return record;
}

export function serializeResultRecord(record: ResultRecord): string {
  return canonicalJsonPretty(record);
}

/**
 * Parses and checks a record read from the remote. `fingerprint` is the one its key names; with a
 * signing key, an unsigned record or a wrong signature is refused.
 */
export function parseResultRecord(text: string, fingerprint: string, signingKey?: string): ParsedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the result record is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'the result record is not an object' };
  const raw = value as Record<string, unknown>;
  const problem = checkRecord(raw, fingerprint);
  if (problem !== undefined) return { ok: false, problem: `the result record ${problem}` };
  const signature = raw.signature;
  if (signature !== undefined && typeof signature !== 'string') return { ok: false, problem: 'the result record has a malformed signature' };
  if (signingKey !== undefined) {
    if (signature === undefined) return { ok: false, problem: 'the result record is not signed, and a signing key is configured' };
    if (!verifySignature(raw, signature, signingKey)) {
      return { ok: false, problem: 'the result record\'s signature does not verify (written without this signing key, or altered)' };
    }
  }
  const record: ResultRecord = {
    format: RECORD_FORMAT,
    version: 1,
    fingerprint,
    sha256: raw.sha256 as string,
    size: raw.size as number,
    mode: raw.mode as Mode,
    request: raw.request as RequestBody,
    seed: raw.seed as number,
    taskId: raw.taskId as string,
    tool: raw.tool as string,
    createdAt: raw.createdAt as string,
    ...(typeof signature === 'string' ? { signature } : {}),
  };
  return { ok: true, record, signed: signingKey !== undefined };
}

function checkRecord(raw: Record<string, unknown>, fingerprint: string): string | undefined {
  if (raw.format !== RECORD_FORMAT) return `has format ${JSON.stringify(raw.format)}, expected "${RECORD_FORMAT}"`;
  if (raw.version !== 1) return `has version ${JSON.stringify(raw.version)}, expected 1 (written by a newer bach-render?)`;
  if (raw.fingerprint !== fingerprint) return 'names another fingerprint than its key';
  if (!isSha256Hex(raw.sha256)) return 'has no valid sha256';
  if (!Number.isSafeInteger(raw.size) || (raw.size as number) < 0) return 'has no valid size';
  if (typeof raw.mode !== 'string' || !Object.hasOwn(MODES, raw.mode)) return 'has no valid mode';
  if (!isRequestBody(raw.request)) return 'has no valid request';
  if (!Number.isSafeInteger(raw.seed)) return 'has no valid seed';
  if (raw.request.seed !== undefined && raw.request.seed !== raw.seed) return 'has a seed that differs from its request\'s';
  if (!isShortText(raw.taskId)) return 'has no valid task id';
  if (!isShortText(raw.tool)) return 'has no valid tool';
  if (typeof raw.createdAt !== 'string' || raw.createdAt.length > 64) return 'has no valid createdAt';
  // The fingerprint is a hash of the request: a record whose request does not hash to its key is not
  // what it claims to be (and would put a wrong request into bach.lock).
  if (fingerprintRequest(raw.mode as Mode, raw.request) !== fingerprint) return 'holds a request that does not hash to its fingerprint';
  return undefined;
}

function signRecord(raw: Record<string, unknown>, key: string): string {
  const { signature: _ignored, ...unsigned } = raw;
  return `hmac-sha256:${createHmac('sha256', key).update(canonicalJson(unsigned)).digest('hex')}`;
}

function verifySignature(raw: Record<string, unknown>, signature: string, key: string): boolean {
  const expected = Buffer.from(signRecord(raw, key));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && !/[\u0000-\u001f\u007f]/.test(value);
}

function isRequestBody(value: unknown): value is RequestBody {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((member) => isRequestValue(member, 0));
}

function isRequestValue(value: unknown, depth: number): value is RequestValue {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.every((item) => isRequestValue(item, depth + 1));
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'sha256' && isSha256Hex((value as { sha256: unknown }).sha256);
}
