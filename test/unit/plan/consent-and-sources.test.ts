import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/plan/create-plan.js';
import { digestsOf, makeManifest, makeShot, planInputs } from '../../helpers/builders.js';

const digests = digestsOf({});
const manifest = makeManifest([makeShot({ id: 'a', seed: 1 })]);
const fingerprint = createPlan(planInputs(manifest, digests)).shots[0]!.fingerprint;

describe('where a planned video comes from', () => {
  it('prefers the cache over a recorded task (the task may be the one just collected)', () => {
    const plan = createPlan(planInputs(manifest, digests, { cached: new Set([fingerprint]), inFlight: new Map([[fingerprint, { taskId: 't' }]]) }));
    expect(plan.shots[0]).toMatchObject({ source: 'cache', seconds: 0 });
  });

  it('asks for consent before paying again for a result that expired before download', () => {
    const plan = createPlan(planInputs(manifest, digests, { expired: new Map([[fingerprint, { taskId: 'task-7' }]]) }));
    expect(plan.shots[0]).toMatchObject({ kind: 'create', source: 'render', seconds: 6, needsRerenderConsent: true });
    expect(plan.shots[0]!.reasons.map((r) => r.text)).toEqual(['new shot', 'the paid result of task task-7 expired before download']);
  });

  it('needs no consent when the expired result is not what would be rendered', () => {
    const plan = createPlan(planInputs(manifest, digests, { expired: new Map([['f'.repeat(64), { taskId: 'other' }]]) }));
    expect(plan.shots[0]).toMatchObject({ source: 'render' });
    expect(plan.shots[0]).not.toHaveProperty('needsRerenderConsent');
  });
});
