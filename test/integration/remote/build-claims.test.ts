import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuildClaims } from '../../../src/commands/build-claims.js';
import { createFakeClock } from '../../helpers/fake-clock.js';
import { makeOwner, makeResultFacts, ok, openCache } from '../../helpers/remote.js';
import { testdir } from '../../helpers/testdir.js';

// A build's claims (commands/build-claims.ts) on a folder remote with a fake clock: what it wins, what
// another machine holds, the task id written while renewals run, and completion or release after the
// round — without waiting for real time.

const POLICY = { staleAfterMs: 8_000, renewEveryMs: 2_000 };

async function setup() {
  const dir = await testdir({ 'share/.keep': '' });
  const clock = createFakeClock();
  const open = (name: string, readOnly = false) =>
    openCache(join(dir, 'share'), { stateDir: join(dir, name, '.bach'), clock, owner: makeOwner(name), claimPolicy: POLICY, readOnly });
  const messages: string[] = [];
  const claimsFor = async (name: string, readOnly = false) => {
    const team = await open(name, readOnly);
    return { team, claims: createBuildClaims({ team, clock, apiOrigin: 'https://api.example', failed: (m) => messages.push(`failed: ${m}`), warn: (m) => messages.push(`warn: ${m}`) }) };
  };
  return { clock, open, claimsFor, messages };
}

const [x, y] = [makeResultFacts('x').fingerprint, makeResultFacts('y').fingerprint];

describe('a build claims what it pays for', () => {
  it('wins free shots, sees the ones another machine holds, and a read-only build claims nothing', async () => {
    const { claimsFor, messages } = await setup();
    const a = await claimsFor('a');
    const b = await claimsFor('b');
    expect(await a.claims.claim([{ fingerprint: x, shotIds: ['x'] }])).toEqual({ held: new Set(), present: new Set(), adopted: new Map() });
    const round = await b.claims.claim([{ fingerprint: x, shotIds: ['x'] }, { fingerprint: y, shotIds: ['y'] }]);
    expect(round.held).toEqual(new Set([x]));
    const ci = await claimsFor('ci', true);
    expect(await ci.claims.claim([{ fingerprint: y, shotIds: ['y'] }])).toEqual({ held: new Set(), present: new Set(), adopted: new Map() });
    expect(ci.team.requestCount()).toBe(0);
    await Promise.all([a.claims.releaseAll(), b.claims.releaseAll()]);
    expect(messages).toEqual([]);
  });

  it('writes the task id while renewals run without losing its own claim, then completes it', async () => {
    const { clock, claimsFor, open, messages } = await setup();
    const a = await claimsFor('a');
    await a.claims.claim([{ fingerprint: x, shotIds: ['x'] }]);
    // The task id arrives just as a renewal falls due: both write the next generation of the claim.
    await Promise.all([a.claims.recordTask(x, 'task-1'), clock.advance(POLICY.renewEveryMs)]);
    await clock.advance(POLICY.renewEveryMs);
    const other = await open('other');
    const seen = ok(await other.readClaim(x));
    expect(seen).toMatchObject({ status: 'live', taskId: 'task-1', apiOrigin: 'https://api.example', owner: { host: 'host-a' } });
    await a.claims.settle(new Set([x]));
    expect(ok(await other.readClaim(x))).toMatchObject({ state: 'complete', status: 'ended' });
    expect(messages).toEqual([]);
  });

  it('releases a claim whose shot was not pushed, so another machine may take it at once', async () => {
    const { claimsFor, open } = await setup();
    const a = await claimsFor('a');
    await a.claims.claim([{ fingerprint: y, shotIds: ['y'] }]);
    await a.claims.settle(new Set());
    expect(ok(await (await open('other')).readClaim(y))).toMatchObject({ state: 'released', status: 'ended' });
    const b = await claimsFor('b');
    expect((await b.claims.claim([{ fingerprint: y, shotIds: ['y'] }])).held.size).toBe(0);
    await b.claims.releaseAll();
  });
});
