import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/plan/create-plan.js';
import { formatPlan } from '../../../src/plan/format-plan.js';
import { createPlanJson } from '../../../src/plan/plan-json.js';
import { markTeamSources } from '../../../src/plan/team-sources.js';
import { createPalette } from '../../../src/util/palette.js';
import { digestsOf, makeManifest, makeShot, planInputs } from '../../helpers/builders.js';

// The plan with the team cache's answer (issue 11, item 6): a shot it holds comes from the team
// cache, free, with a marker and a word of its own, in the plan and in `plan --json`.

const digests = digestsOf({});
const manifest = makeManifest([makeShot({ id: 'a', seed: 1 }), makeShot({ id: 'b', seed: 2 }), makeShot({ id: 'c', seed: 3 })]);
const plan = createPlan(planInputs(manifest, digests));
const fingerprintOf = (id: string) => plan.shots.find((shot) => shot.shot.id === id)!.fingerprint;
const palette = createPalette(false);

describe('markTeamSources', () => {
  it('moves the shots the team cache holds from a paid render to the team cache: no seconds, counted', () => {
    const marked = markTeamSources(plan, new Set([fingerprintOf('a'), fingerprintOf('c')]));
    expect(marked.shots.map((shot) => [shot.shot.id, shot.source, shot.seconds])).toEqual([
      ['a', 'team', 0],
      ['b', 'render', 6],
      ['c', 'team', 0],
    ]);
    expect(marked.totals).toMatchObject({ fromTeam: 2, secondsToGenerate: 6, create: 3 });
    expect(marked.changes).toBe(true);
    expect(plan.shots[0]!.source).toBe('render'); // pure: the plan given is left alone
  });

  it('leaves a forced shot (a new take is wanted) and a shot held in doubt alone', () => {
    const forced = createPlan(planInputs(manifest, digests, { force: new Set(['a']) }));
    expect(markTeamSources(forced, new Set([fingerprintOf('a')])).shots[0]).toMatchObject({ source: 'render' });
  });

  it('is shown with its own marker and word, and in the JSON as source "team"', () => {
    const marked = markTeamSources(plan, new Set([fingerprintOf('a')]));
    const text = formatPlan(marked, palette);
    expect(text).toMatch(/^@ a .*\(from the team cache: free\)/m);
    expect(text).toMatch(/^\+ b /m);
    expect(text).toContain('Plan: 2 to render (12 s of video), 1 from the team cache.');
    const json = createPlanJson(marked, 'bach.yaml');
    expect(json.shots[0]).toMatchObject({ id: 'a', source: 'team', seconds: 0, taskId: null });
    expect(json.totals.fromTeam).toBe(1);
  });
});
