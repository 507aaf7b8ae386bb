import type { CallOptions, RemoteBackend } from './backend.js';
import {
  judgeClaim,
  MAX_CLAIM_BYTES,
  parseClaimRecord,
  serializeClaimRecord,
  CLAIM_FORMAT,
  type ClaimOwner,
  type ClaimPolicy,
  type ClaimRecord,
  type ClaimState,
  type ClaimStatus,
} from './claim-record.js';
import { claimKey, claimPrefix, parseClaimGeneration, resultKey } from './keys.js';
import { RemoteError } from './remote-error.js';

// Claims: no two machines pay for the same shot, even when they build at the same moment.
//
//   v1/claims/<fp>/0000000001.json   A claims (active)
//   v1/claims/<fp>/0000000002.json   A renews / records its task id / completes: always a NEW generation
//
// Every change creates generation n+1 with a conditional create, so any two changes made at once —
// two first claims, a renewal and a takeover, two takeovers of a stale claim — race for the same key
// and exactly one wins; the loser learns it from the 412 (and reads the key back, since a retried
// request of its own would also see 412). Nobody ever rewrites a generation.
//
// Older generations are removed by whoever advances (best effort: a writer without DELETE permission
// only leaves more objects behind). Removal frees a slot that a very late writer could then create; so
// after every create the writer lists the claim's generations and, if a higher one exists, knows it
// lost. The last generation is never removed: after completion it stays as a small marker, so numbering
// never restarts below a generation someone may still be reading.
//
// Time: claims are stamped and judged in the remote's time (backend.now(): the server's clock for S3),
// so machines with clocks apart still agree on which claim is stale.

export interface ClaimView extends ClaimRecord {
  status: ClaimStatus;
  /** ms since the last renewal, in the remote's time. */
  ageMs: number;
}

export interface ClaimHandle {
  readonly fingerprint: string;
  /** The generation this handle wrote last. */
  generation(): number;
  /** Writes a new generation with a fresh time; 'lost' when another machine took the claim over. */
  renew(options?: CallOptions): Promise<'renewed' | 'lost'>;
  /** Records the accepted task (id and API origin, never a key) so waiting machines can follow it. */
  recordTask(task: { taskId: string; apiOrigin: string }, options?: CallOptions): Promise<'recorded' | 'lost'>;
  /** The result is pushed: the claim ends (others find the result). */
  complete(options?: CallOptions): Promise<void>;
  /** Gave up without a result (the submission failed, the run was stopped): others may claim at once. */
  release(options?: CallOptions): Promise<void>;
}

export type ClaimOutcome =
  /** Ours: render the shot. `previous` is the stale or ended claim taken over (its task may be followed). */
  | { kind: 'won'; claim: ClaimHandle; previous: ClaimView | null }
  /** Someone is rendering it: wait for their task or for the result. */
  | { kind: 'held'; by: ClaimView }
  /** The result is in the remote already (pushed while we looked): pull it. */
  | { kind: 'result-present' };

export interface ClaimContext {
  backend: RemoteBackend;
  owner: ClaimOwner;
  policy: ClaimPolicy;
}

interface Latest {
  generation: number;
  /** null: the generation's object is not a claim we can read (treated as ended). */
  record: ClaimRecord | null;
  /** Every generation listed, for cleaning up. */
  generations: number[];
}

/** The latest claim on a fingerprint, judged; null when it was never claimed. */
export async function readClaim(context: ClaimContext, fingerprint: string, options: CallOptions = {}): Promise<ClaimView | null> {
  const latest = await readLatest(context.backend, fingerprint, options);
  return latest?.record ? toView(latest.record, context) : null;
}

export async function acquireClaim(context: ClaimContext, fingerprint: string, options: CallOptions = {}): Promise<ClaimOutcome> {
  const { backend, owner } = context;
  for (let round = 0; round < 5; round += 1) {
    const latest = await readLatest(backend, fingerprint, options);
    let previous: ClaimView | null = null;
    if (latest?.record) {
      const view = toView(latest.record, context);
      if (view.owner.id === owner.id && view.status !== 'ended') {
        return { kind: 'won', claim: createHandle(context, latest.record), previous: null };
      }
      if (view.status === 'live') return { kind: 'held', by: view };
      previous = view;
    }
    const now = backend.now();
    const record: ClaimRecord = {
      format: CLAIM_FORMAT,
      version: 1,
      fingerprint,
      generation: (latest?.generation ?? 0) + 1,
      owner,
      state: 'active',
      createdAt: now,
      renewedAt: now,
    };
    if (!(await createGeneration(context, record, options))) continue; // someone else won: look again
    const handle = createHandle(context, record);
    if (await backend.head(resultKey(fingerprint), options)) {
      await handle.complete(options);
      return { kind: 'result-present' };
    }
    await removeGenerations(backend, fingerprint, latest?.generations ?? [], options);
    return { kind: 'won', claim: handle, previous };
  }
  throw new RemoteError({ kind: 'server', remote: backend.display, key: claimPrefix(fingerprint), detail: 'the claim kept changing under us', advice: 'the next build tries again' });
}

function createHandle(context: ClaimContext, first: ClaimRecord): ClaimHandle {
  const { backend } = context;
  let current = first;
  let lost = false;

  const advance = async (patch: { state?: ClaimState; taskId?: string; apiOrigin?: string }, options?: CallOptions): Promise<boolean> => {
    if (lost) return false;
    const next: ClaimRecord = { ...current, ...patch, generation: current.generation + 1, renewedAt: backend.now() };
    if (!(await createGeneration(context, next, options))) {
      lost = true;
      return false;
    }
    const old = current.generation;
    current = next;
    await removeGenerations(backend, current.fingerprint, [old], options);
    return true;
  };

  return {
    fingerprint: first.fingerprint,
    generation: () => current.generation,
    renew: async (options) => ((await advance({}, options)) ? 'renewed' : 'lost'),
    recordTask: async (task, options) => ((await advance({ taskId: task.taskId, apiOrigin: task.apiOrigin }, options)) ? 'recorded' : 'lost'),
    complete: async (options) => {
      await advance({ state: 'complete' }, options);
    },
    release: async (options) => {
      await advance({ state: 'released' }, options);
    },
  };
}

/**
 * Creates a generation conditionally. True only when it is ours and nothing newer exists: a 412 may be
 * our own retried request (we read the key back), and a slot freed by cleanup may be created by a
 * writer who fell far behind (we list what is above it).
 */
async function createGeneration(context: ClaimContext, record: ClaimRecord, options?: CallOptions): Promise<boolean> {
  const { backend, owner } = context;
  const key = claimKey(record.fingerprint, record.generation);
  const created = await backend.createSmall(key, Buffer.from(serializeClaimRecord(record)), options);
  if (created === 'exists') {
    const bytes = await backend.readSmall(key, MAX_CLAIM_BYTES, options);
    const there = bytes === null ? undefined : parseClaimRecord(bytes.toString('utf8'), record.fingerprint, record.generation);
    if (there?.owner.id !== owner.id || there.renewedAt !== record.renewedAt) return false;
  }
  const generations = await listGenerations(backend, record.fingerprint, options);
  if (generations.some((generation) => generation > record.generation)) {
    if (created === 'created') await removeGenerations(backend, record.fingerprint, [record.generation], options);
    return false;
  }
  return true;
}

async function readLatest(backend: RemoteBackend, fingerprint: string, options?: CallOptions): Promise<Latest | null> {
  // A generation listed and then removed before we read it has been superseded: list again.
  for (let round = 0; round < 5; round += 1) {
    const generations = await listGenerations(backend, fingerprint, options);
    if (generations.length === 0) return null;
    const generation = Math.max(...generations);
    const bytes = await backend.readSmall(claimKey(fingerprint, generation), MAX_CLAIM_BYTES, options);
    if (bytes === null) continue;
    return { generation, record: parseClaimRecord(bytes.toString('utf8'), fingerprint, generation) ?? null, generations };
  }
  throw new RemoteError({ kind: 'server', remote: backend.display, key: claimPrefix(fingerprint), detail: 'the claim kept changing under us', advice: 'the next build tries again' });
}

async function listGenerations(backend: RemoteBackend, fingerprint: string, options?: CallOptions): Promise<number[]> {
  const prefix = claimPrefix(fingerprint);
  const generations: number[] = [];
  let startAfter: string | undefined;
  for (;;) {
    const page = await backend.list(prefix, startAfter, backend.listPageSize, options);
    for (const key of page.keys) {
      const generation = parseClaimGeneration(fingerprint, key);
      if (generation !== undefined) generations.push(generation);
    }
    if (!page.truncated || page.keys.length === 0) return generations;
    startAfter = page.keys.at(-1);
  }
}

async function removeGenerations(backend: RemoteBackend, fingerprint: string, generations: number[], options?: CallOptions): Promise<void> {
  for (const generation of generations) {
    // Best effort: an old generation left behind costs a few bytes and one more key in a LIST.
    await backend.remove(claimKey(fingerprint, generation), options).catch(() => {});
  }
}

function toView(record: ClaimRecord, context: ClaimContext): ClaimView {
  const now = context.backend.now();
  return { ...record, status: judgeClaim(record, now, context.policy), ageMs: now - record.renewedAt };
}
