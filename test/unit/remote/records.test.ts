import { describe, expect, it } from 'vitest';
import { judgeClaim, parseClaimRecord, serializeClaimRecord, type ClaimRecord } from '../../../src/remote/claim-record.js';
import { claimKey, parseClaimGeneration, parseResultKey, resultKey, videoKey } from '../../../src/remote/keys.js';
import { RemoteError } from '../../../src/remote/remote-error.js';
import { REMOTE_RETRY_POLICY, runWithRemoteRetry } from '../../../src/remote/remote-retry.js';
import { createResultRecord, parseResultRecord, serializeResultRecord } from '../../../src/remote/result-record.js';
import { createFakeClock } from '../../helpers/fake-clock.js';
import { makeResultFacts } from '../../helpers/remote.js';

// The pure parts of the team cache: key layout, result records (checks, signature), claim records
// (parse, staleness) and the retry loop over the API's policy.

const sha = 'a'.repeat(64);
const KEY = 'signing-key-0123456789';

describe('key layout', () => {
  it('puts records by fingerprint, videos by content, claims by generation, all under v1/', () => {
    const fp = 'b'.repeat(64);
    expect(resultKey(fp)).toBe(`v1/results/${fp}.json`);
    expect(videoKey(sha)).toBe(`v1/videos/${sha}.mp4`);
    expect(claimKey(fp, 12)).toBe(`v1/claims/${fp}/0000000012.json`);
    expect(parseResultKey(resultKey(fp))).toBe(fp);
    expect(parseResultKey(`v1/results/${fp}.json.tmp`)).toBeUndefined();
    expect(parseClaimGeneration(fp, claimKey(fp, 12))).toBe(12);
    expect(parseClaimGeneration(fp, claimKey('c'.repeat(64), 12))).toBeUndefined();
  });

  it('refuses anything but hex where a key is built (nothing can escape the layout)', () => {
    expect(() => resultKey('../../etc/passwd')).toThrow(RangeError);
    expect(() => videoKey(sha.toUpperCase())).toThrow(RangeError);
    expect(() => claimKey(sha, 0)).toThrow(RangeError);
  });
});

describe('result records', () => {
  const facts = { ...makeResultFacts('r'), sha256: sha, size: 1234 };
  const make = (signingKey?: string) => createResultRecord(facts, { tool: 'bach-render 9.9.9', createdAt: '2026-01-01T00:00:00.000Z', ...(signingKey ? { signingKey } : {}) });

  it('round-trips, and signs when a key is given', () => {
    const text = serializeResultRecord(make());
    expect(parseResultRecord(text, facts.fingerprint)).toEqual({ ok: true, record: make(), signed: false });
    const signed = make(KEY);
    expect(signed.signature).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(parseResultRecord(serializeResultRecord(signed), facts.fingerprint, KEY)).toMatchObject({ ok: true, signed: true });
  });

  it('verifies the signature over every member, unknown ones included', () => {
    const signed = { ...make(KEY) } as Record<string, unknown>;
    const check = (value: unknown) => parseResultRecord(JSON.stringify(value), facts.fingerprint, KEY);
    expect(check({ ...signed, taskId: 'other' })).toEqual({ ok: false, problem: expect.stringContaining('signature does not verify') });
    expect(check({ ...signed, extra: 1 })).toEqual({ ok: false, problem: expect.stringContaining('signature does not verify') });
    expect(parseResultRecord(serializeResultRecord(make(KEY)), facts.fingerprint, 'another-key-0123456789')).toMatchObject({ ok: false });
    expect(check(make())).toEqual({ ok: false, problem: 'the result record is not signed, and a signing key is configured' });
  });

  it.each([
    ['not JSON', 'the result record is not JSON'],
    [{ format: 'other' }, 'has format "other"'],
    [{ version: 2 }, 'has version 2'],
    [{ sha256: 'xyz' }, 'has no valid sha256'],
    [{ size: -1 }, 'has no valid size'],
    [{ mode: 'video-to-video' }, 'has no valid mode'],
    [{ request: { prompt: { url: 'x' } } }, 'has no valid request'],
    [{ seed: 7 }, "has a seed that differs from its request's"],
    [{ taskId: 'a\nb' }, 'has no valid task id'],
    [{ request: { ...facts.request, prompt: 'changed' } }, 'holds a request that does not hash to its fingerprint'],
  ])('refuses %j', (patch, problem) => {
    const text = typeof patch === 'string' ? patch : JSON.stringify({ ...make(), ...patch });
    const parsed = parseResultRecord(text, facts.fingerprint);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toContain(problem);
  });

  it('refuses a record stored under another fingerprint', () => {
    expect(parseResultRecord(serializeResultRecord(make()), 'c'.repeat(64))).toEqual({ ok: false, problem: 'the result record names another fingerprint than its key' });
  });
});

describe('claim records', () => {
  const record: ClaimRecord = {
    format: 'bach-render/claim',
    version: 1,
    fingerprint: sha,
    generation: 3,
    owner: { id: 'owner-1', host: 'laptop', pid: 42 },
    state: 'active',
    createdAt: 1000,
    renewedAt: 5000,
    taskId: 'task-9',
    apiOrigin: 'https://api.example',
  };
  const policy = { staleAfterMs: 10_000, renewEveryMs: 2_500 };

  it('round-trips and refuses what is not this claim', () => {
    const text = serializeClaimRecord(record);
    expect(parseClaimRecord(text, sha, 3)).toEqual(record);
    expect(parseClaimRecord(text, sha, 4)).toBeUndefined();
    expect(parseClaimRecord(text, 'b'.repeat(64), 3)).toBeUndefined();
    expect(parseClaimRecord(JSON.stringify({ ...record, state: 'won' }), sha, 3)).toBeUndefined();
    expect(parseClaimRecord(JSON.stringify({ ...record, owner: { id: '', host: 'h', pid: 1 } }), sha, 3)).toBeUndefined();
    expect(parseClaimRecord('{', sha, 3)).toBeUndefined();
  });

  it('is live up to staleAfterMs after its renewal, stale after, ended once complete or released', () => {
    expect(judgeClaim(record, 5000 + 10_000, policy)).toBe('live');
    expect(judgeClaim(record, 5000 + 10_001, policy)).toBe('stale');
    expect(judgeClaim(record, 0, policy)).toBe('live'); // renewed "in the future": clocks apart, the owner is alive
    expect(judgeClaim({ ...record, state: 'complete' }, 5000, policy)).toBe('ended');
    expect(judgeClaim({ ...record, state: 'released' }, 5000, policy)).toBe('ended');
  });
});

describe('runWithRemoteRetry', () => {
  const error = (init: Partial<ConstructorParameters<typeof RemoteError>[0]>) =>
    new RemoteError({ kind: 'server', remote: 'r', detail: 'd', ...init });

  async function attempts(failures: RemoteError[]): Promise<{ attempts: number; result: unknown }> {
    const clock = createFakeClock();
    let count = 0;
    const run = runWithRemoteRetry(
      async () => {
        const failure = failures[count];
        count += 1;
        if (failure) throw failure;
        return 'done';
      },
      { policy: REMOTE_RETRY_POLICY, clock },
    ).catch((caught: unknown) => caught);
    await clock.advance(60_000);
    return { attempts: count, result: await run };
  }

  it('retries 5xx, 429, 409 conflicts and lost connections under the policy', async () => {
    expect(await attempts([error({ status: 503 }), error({ status: 429 })])).toEqual({ attempts: 3, result: 'done' });
    expect(await attempts([error({ status: 409, code: 'ConditionalRequestConflict' })])).toEqual({ attempts: 2, result: 'done' });
    expect(await attempts([error({ kind: 'unreachable', outcome: 'not-sent' })])).toEqual({ attempts: 2, result: 'done' });
    const three = [error({ status: 500 }), error({ status: 500 }), error({ status: 500 })];
    expect(await attempts(three)).toEqual({ attempts: 3, result: three[2] });
  });

  it('does not retry refusals, corrupt objects or timeouts', async () => {
    for (const failure of [error({ kind: 'denied', status: 403 }), error({ kind: 'corrupt' }), error({ kind: 'timeout', outcome: 'unknown' })]) {
      expect(await attempts([failure])).toEqual({ attempts: 1, result: failure });
    }
  });
});
