import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/plan/create-plan.js';
import { formatPlan } from '../../../src/plan/format-plan.js';
import { createPlanJson } from '../../../src/plan/plan-json.js';
import { markEarlierTaskSources, markTeamSources } from '../../../src/plan/free-sources.js';
import { createPalette } from '../../../src/util/palette.js';
import { builtState, digestsOf, makeManifest, makeShot, planInputs } from '../../helpers/builders.js';

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

describe('markEarlierTaskSources', () => {
  // A clone: bach.lock as a complete build left it, no outputs, nothing cached.
  const { lock } = builtState(manifest, digests);
  const clone = createPlan(planInputs(manifest, digests, { lock }));

  it('moves the shots whose locked task the API still serves to that earlier task: no seconds, the task named', () => {
    expect(clone.shots.map((shot) => shot.source)).toEqual(['render', 'render', 'render']);
    const marked = markEarlierTaskSources(clone, new Set(['a', 'b']));
    expect(marked.shots.map((shot) => [shot.shot.id, shot.source, shot.seconds])).toEqual([
      ['a', 'earlier-task', 0],
      ['b', 'earlier-task', 0],
      ['c', 'render', 6],
    ]);
    expect(marked.shots[0]).toMatchObject({ earlierTaskId: 'task-a' });
    expect(marked.totals).toMatchObject({ fromEarlierTasks: 2, secondsToGenerate: 6 });
    expect(clone.shots[0]!.source).toBe('render'); // pure
  });

  it('leaves alone a shot whose request changed since its task (the task made another video), and a forced one', () => {
    const edited = makeManifest([makeShot({ id: 'a', seed: 1, prompt: { kind: 'text', text: 'another prompt' } }), makeShot({ id: 'b', seed: 2 }), makeShot({ id: 'c', seed: 3 })]);
    const changed = createPlan(planInputs(edited, digests, { lock }));
    expect(markEarlierTaskSources(changed, new Set(['a'])).shots[0]).toMatchObject({ source: 'render' });
    const forced = createPlan(planInputs(manifest, digests, { lock, force: new Set(['b']) }));
    expect(markEarlierTaskSources(forced, new Set(['b'])).shots[1]).toMatchObject({ source: 'render' });
  });

  it('is shown with ^ and its own words, and in the JSON as source "earlier-task" with the task id', () => {
    const marked = markEarlierTaskSources(markTeamSources(clone, new Set([fingerprintOf('c')])), new Set(['a']));
    const text = formatPlan(marked, palette);
    expect(text).toMatch(/^\^ a .*\(from an earlier task: free, task task-a\)/m);
    expect(text).toMatch(/^@ c .*\(from the team cache: free\)/m);
    expect(text).toContain('Plan: 1 to render (6 s of video), 1 from the team cache, 1 from earlier tasks.');
    const json = createPlanJson(marked, 'bach.yaml');
    expect(json.shots[0]).toMatchObject({ id: 'a', source: 'earlier-task', seconds: 0, taskId: 'task-a' });
    expect(json.totals).toMatchObject({ fromTeam: 1, fromEarlierTasks: 1 });
  });
});

describe('the uploads of a plan with free sources', () => {
  it('counts only the images of what is still to render: an image only a free shot needed is not uploaded', () => {
    const imageDigests = digestsOf({ 'frames/a.png': 'a', 'frames/shared.png': 'shared' });
    const withImages = makeManifest([
      makeShot({ id: 'a', mode: 'image-to-video', image: { kind: 'file', path: 'frames/a.png' }, seed: 1 }),
      makeShot({ id: 'b', mode: 'multi-image-to-video', images: [{ kind: 'file', path: 'frames/a.png' }, { kind: 'file', path: 'frames/shared.png' }], seed: 2 }),
      makeShot({ id: 'c', mode: 'image-to-video', image: { kind: 'file', path: 'frames/shared.png' }, seed: 3 }),
    ]);
    const planned = createPlan(planInputs(withImages, imageDigests));
    expect(planned.totals.imagesToUpload).toBe(2);
    const fp = (id: string) => planned.shots.find((shot) => shot.shot.id === id)!.fingerprint;
    // a and b free: only c renders, and it needs shared.png alone.
    const marked = markTeamSources(planned, new Set([fp('a'), fp('b')]));
    expect(marked.uploads.map((upload) => upload.path)).toEqual(['frames/shared.png']);
    expect(marked.totals.imagesToUpload).toBe(1);
    expect(formatPlan(markTeamSources(planned, new Set([fp('a'), fp('b'), fp('c')])), palette)).toContain('Plan: nothing to render (no cost), 3 from the team cache.');
  });
});
