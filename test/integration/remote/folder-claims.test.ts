import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CAPABILITIES_FILE } from '../../../src/remote/capabilities.js';
import { DEFAULT_CLAIM_POLICY } from '../../../src/remote/claim-record.js';
import { keepClaimAlive } from '../../../src/remote/keep-claim-alive.js';
import { claimPrefix } from '../../../src/remote/keys.js';
import { createFakeClock } from '../../helpers/fake-clock.js';
import { failure, makeOwner, makeResultFacts, ok, openCache, writeVideo } from '../../helpers/remote.js';
import { testdir, writeTree } from '../../helpers/testdir.js';

// Claims on a folder remote with a fake clock: who holds a shot, when a claim goes stale, and that a
// takeover has one winner — without waiting for real time.

async function setup() {
  const dir = await testdir({ 'share/.keep': '' });
  const clock = createFakeClock();
  const open = (name: string, policy = DEFAULT_CLAIM_POLICY) =>
    openCache(join(dir, 'share'), { stateDir: join(dir, name, '.bach'), clock, owner: makeOwner(name), claimPolicy: policy });
  return { dir, clock, open, fingerprint: makeResultFacts('shot').fingerprint };
}

describe('claims on a folder remote', () => {
  it('gives a shot to the first claimer; the others see a live claim with its owner and task', async () => {
    const { open, fingerprint, clock } = await setup();
    const [a, b] = [await open('a'), await open('b')];
    const won = ok(await a.claim(fingerprint));
    if (won.kind !== 'won') throw new Error('a should win');
    expect(won.previous).toBeNull();
    ok(await won.claim.recordTask({ taskId: 'task-1', apiOrigin: 'https://api.example' }));
    await clock.advance(60_000);
    const held = ok(await b.claim(fingerprint));
    expect(held).toMatchObject({ kind: 'held', by: { owner: { host: 'host-a', pid: 1000 }, taskId: 'task-1', apiOrigin: 'https://api.example', status: 'live', ageMs: 60_000 } });
    // The same process claiming again gets its own claim back.
    expect(ok(await a.claim(fingerprint)).kind).toBe('won');
  });

  it('lets exactly one of ten machines win at once', async () => {
    const { open, fingerprint } = await setup();
    const caches = await Promise.all(Array.from({ length: 10 }, (_, i) => open(`m${i}`)));
    const outcomes = (await Promise.all(caches.map((cache) => cache.claim(fingerprint)))).map(ok);
    expect(outcomes.filter((o) => o.kind === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'held')).toHaveLength(9);
  });

  it('calls a claim stale only after staleAfterMs without renewal, then one of two takers wins', async () => {
    const { open, fingerprint, clock } = await setup();
    const a = await open('a');
    const first = ok(await a.claim(fingerprint));
    if (first.kind !== 'won') throw new Error('a should win');
    const [b, c] = [await open('b'), await open('c')];
    await clock.advance(DEFAULT_CLAIM_POLICY.staleAfterMs);
    expect(ok(await b.readClaim(fingerprint))).toMatchObject({ status: 'live', ageMs: DEFAULT_CLAIM_POLICY.staleAfterMs });
    await clock.advance(1);
    expect(ok(await b.readClaim(fingerprint))).toMatchObject({ status: 'stale' });

    const takers = (await Promise.all([b.claim(fingerprint), c.claim(fingerprint)])).map(ok);
    expect(takers.map((t) => t.kind).sort()).toEqual(['held', 'won']);
    const winner = takers.find((t) => t.kind === 'won');
    expect(winner?.kind === 'won' && winner.previous).toMatchObject({ owner: { host: 'host-a' }, status: 'stale' });
    expect(ok(await first.claim.renew())).toBe('lost');
    // Lost stays lost, and writes nothing more.
    expect(ok(await first.claim.recordTask({ taskId: 't', apiOrigin: 'https://x' }))).toBe('lost');
    expect(ok(await a.readClaim(fingerprint))?.owner.host).not.toBe('host-a');
  });

  it('keeps a claim alive while renewing; once renewals stop it is taken over', async () => {
    const { open, fingerprint, clock } = await setup();
    const a = await open('a');
    const b = await open('b');
    const won = ok(await a.claim(fingerprint));
    if (won.kind !== 'won') throw new Error('a should win');
    const lost = vi.fn();
    const alive = keepClaimAlive(won.claim, { clock, everyMs: DEFAULT_CLAIM_POLICY.renewEveryMs, onLost: lost });
    for (let renewal = 1; renewal <= 6; renewal += 1) {
      await clock.advance(DEFAULT_CLAIM_POLICY.renewEveryMs);
      await vi.waitFor(() => expect(won.claim.generation()).toBe(1 + renewal));
    }
    expect(ok(await b.claim(fingerprint)).kind).toBe('held');
    await alive.stop();
    await clock.advance(DEFAULT_CLAIM_POLICY.staleAfterMs + 1);
    expect(ok(await b.claim(fingerprint)).kind).toBe('won');
    expect(lost).not.toHaveBeenCalled();
  });

  it('reports a lost claim from the keep-alive loop', async () => {
    const { open, fingerprint, clock } = await setup();
    const a = await open('a');
    const won = ok(await a.claim(fingerprint));
    if (won.kind !== 'won') throw new Error('a should win');
    await clock.advance(DEFAULT_CLAIM_POLICY.staleAfterMs + 1);
    expect(ok(await (await open('b')).claim(fingerprint)).kind).toBe('won');
    const lost = vi.fn();
    const alive = keepClaimAlive(won.claim, { clock, everyMs: 1000, onLost: lost });
    await clock.advance(1000);
    await vi.waitFor(() => expect(lost).toHaveBeenCalledTimes(1));
    await alive.stop();
  });

  it('keeps only the latest generations: a claim that advanced removes the ones before it', async () => {
    const { dir, open, fingerprint, clock } = await setup();
    const a = await open('a');
    const won = ok(await a.claim(fingerprint));
    if (won.kind !== 'won') throw new Error('a should win');
    for (let i = 0; i < 4; i += 1) {
      await clock.advance(1000);
      ok(await won.claim.renew());
    }
    ok(await won.claim.complete());
    expect(await readdir(join(dir, 'share', claimPrefix(fingerprint)))).toEqual(['0000000006.json']);
    const record = JSON.parse(await readFile(join(dir, 'share', claimPrefix(fingerprint), '0000000006.json'), 'utf8'));
    expect(record).toMatchObject({ state: 'complete', generation: 6, owner: { host: 'host-a' } });
  });

  it('hands a released claim to the next claimer at once, and tells a claimer when the result is already there', async () => {
    const { dir, open, clock } = await setup();
    const facts = makeResultFacts('released');
    const [a, b] = [await open('a'), await open('b')];
    const won = ok(await a.claim(facts.fingerprint));
    if (won.kind !== 'won') throw new Error('a should win');
    ok(await won.claim.release());
    await clock.advance(1);
    const next = ok(await b.claim(facts.fingerprint));
    expect(next).toMatchObject({ kind: 'won', previous: { state: 'released', status: 'ended' } });
    const video = await writeVideo(dir, 'v.mp4', 10);
    ok(await b.push({ ...facts, videoPath: video.path }));
    // b pushed but has not completed yet: a claimer that wins the next generation sees the result.
    if (next.kind === 'won') ok(await next.claim.release());
    expect(ok(await a.claim(facts.fingerprint))).toEqual({ kind: 'result-present' });
  });

  it('refuses to claim where conditional creates are known not to hold', async () => {
    const { dir, fingerprint } = await setup();
    const stateDir = join(dir, 'x', '.bach');
    const cache = await openCache(join(dir, 'share'), { stateDir });
    expect(ok(await cache.checkCapabilities())).toMatchObject({ conditionalCreate: true });
    // As if the check had found a store that ignores If-None-Match.
    const memoFile = join(stateDir, CAPABILITIES_FILE);
    const memo = JSON.parse(await readFile(memoFile, 'utf8'));
    memo.remotes[join(dir, 'share')].conditionalCreate = false;
    await writeFile(memoFile, JSON.stringify(memo));
    const error = failure(await (await openCache(join(dir, 'share'), { stateDir })).claim(fingerprint));
    expect(error.kind).toBe('unsupported');
    expect(error.message).toContain('claims cannot be guaranteed');
  });

  it('ignores a capability file of the wrong shape and checks again', async () => {
    const { dir, fingerprint } = await setup();
    const stateDir = join(dir, 'y', '.bach');
    await writeTree(dir, { [join('y', '.bach', CAPABILITIES_FILE)]: JSON.stringify({ version: 1, remotes: { [join(dir, 'share')]: { conditionalCreate: 'yes' } } }) });
    const cache = await openCache(join(dir, 'share'), { stateDir });
    expect(ok(await cache.claim(fingerprint)).kind).toBe('won');
    const memo = JSON.parse(await readFile(join(stateDir, CAPABILITIES_FILE), 'utf8'));
    expect(memo.remotes[join(dir, 'share')]).toMatchObject({ conditionalCreate: true });
  });
});
