import { canonicalJsonPretty } from '../util/canonical-json.js';

// A claim says "this machine is rendering this shot right now" (pure: build, parse, judge). Claims are
// numbered by generation, and every change — the first claim, a renewal, the task id once the API
// accepted it, completion, a takeover — is a NEW generation created with a conditional create, never a
// rewrite: two machines that change the same claim at the same moment race for the same key and only
// one of them wins (claims.ts). A claim holds no secret: owner id, host, pid, times, task id, API origin.

export const CLAIM_FORMAT = 'bach-render/claim';
export const MAX_CLAIM_BYTES = 16 * 1024;

export type ClaimState = 'active' | 'complete' | 'released';

export interface ClaimOwner {
  /** Random, one per build process: tells our own claim from another's, even on the same host. */
  id: string;
  host: string;
  pid: number;
}

export interface ClaimRecord {
  format: typeof CLAIM_FORMAT;
  version: 1;
  fingerprint: string;
  generation: number;
  owner: ClaimOwner;
  state: ClaimState;
  /** ms since the epoch, in the remote's time (see RemoteBackend.now). When this owner first claimed. */
  createdAt: number;
  /** When this generation was written: the owner's last sign of life. */
  renewedAt: number;
  /** Once the API accepted the task; others polling it with the same account need not pay. */
  taskId?: string;
  /** The API's origin (never a key). */
  apiOrigin?: string;
}

export interface ClaimPolicy {
  /** A claim not renewed for this long is stale: its owner is gone, and one other machine may take it over. */
  staleAfterMs: number;
  /** How often a holder renews (well under staleAfterMs, so one slow renewal does not lose the claim). */
  renewEveryMs: number;
}

/**
 * Decided: 2 minutes without a renewal, renewed every 30 s. A killed build holds its shots up for at
 * most 2 minutes; a live one has four chances to renew before anyone may take over.
 */
export const DEFAULT_CLAIM_POLICY: ClaimPolicy = { staleAfterMs: 120_000, renewEveryMs: 30_000 };

/** `live`: someone is on it, wait. `stale`: its owner stopped renewing, it may be taken over. `ended`: complete or released. */
export type ClaimStatus = 'live' | 'stale' | 'ended';

export function judgeClaim(record: ClaimRecord, nowMs: number, policy: ClaimPolicy): ClaimStatus {
  if (record.state !== 'active') return 'ended';
  // A renewal from the future (clocks apart) counts as fresh: the owner is alive.
  return nowMs - record.renewedAt > policy.staleAfterMs ? 'stale' : 'live';
}

export function serializeClaimRecord(record: ClaimRecord): string {
  return canonicalJsonPretty(record);
}

/** Checks every field; undefined for anything that is not a claim of this fingerprint and generation. */
export function parseClaimRecord(text: string, fingerprint: string, generation: number): ClaimRecord | undefined {
  let raw: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    raw = value as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const owner = raw.owner as Record<string, unknown> | null;
  const ok =
    raw.format === CLAIM_FORMAT &&
    raw.version === 1 &&
    raw.fingerprint === fingerprint &&
    raw.generation === generation &&
    owner !== null &&
    typeof owner === 'object' &&
    isShortText(owner.id) &&
    typeof owner.host === 'string' &&
    owner.host.length <= 255 &&
    Number.isSafeInteger(owner.pid) &&
    (raw.state === 'active' || raw.state === 'complete' || raw.state === 'released') &&
    Number.isSafeInteger(raw.createdAt) &&
    Number.isSafeInteger(raw.renewedAt) &&
    (raw.taskId === undefined || isShortText(raw.taskId)) &&
    (raw.apiOrigin === undefined || isShortText(raw.apiOrigin));
  if (!ok) return undefined;
  return {
    format: CLAIM_FORMAT,
    version: 1,
    fingerprint,
    generation,
    owner: { id: owner.id as string, host: owner.host as string, pid: owner.pid as number },
    state: raw.state as ClaimState,
    createdAt: raw.createdAt as number,
    renewedAt: raw.renewedAt as number,
    ...(raw.taskId === undefined ? {} : { taskId: raw.taskId as string }),
    ...(raw.apiOrigin === undefined ? {} : { apiOrigin: raw.apiOrigin as string }),
  };
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && !/[\u0000-\u001f\u007f]/.test(value);
}
