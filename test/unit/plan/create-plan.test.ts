import { describe, expect, it } from 'vitest';
import type { Shot } from '../../../src/manifest/types.js';
import { budgetSeconds, createPlan } from '../../../src/plan/create-plan.js';
import { builtState, digestsOf, file, makeManifest, makeShot, planInputs, shotPlan, url } from '../../helpers/builders.js';

const digests = digestsOf({ 'frames/hero.png': 'H', 'frames/castle.png': 'C', 'refs/front.png': 'F', 'prompts/wake.md': 'W' });
const subject = { key: 'hero', name: 'hero', type: 'character' as const, images: [file('refs/front.png')] };
const story: Shot[] = [
  makeShot({ id: 'opening', seed: 42 }),
  makeShot({ id: 'hero-wakes', mode: 'image-to-video', image: file('frames/hero.png'), duration: 4, seed: 7 }),
  makeShot({ id: 'castle', mode: 'multi-image-to-video', images: [file('frames/castle.png'), url('https://example.com/sky.jpg')], subject, seed: 9 }),
];
const manifest = makeManifest(story);

/** Plans `shots` against the state a full build of `story` left behind. */
function replan(shots: Shot[], overrides: Parameters<typeof planInputs>[2] = {}, d = digests) {
  const state = builtState(manifest, digests);
  return createPlan(planInputs(makeManifest(shots), d, { ...state, ...overrides }));
}
const edit = (id: string, change: Partial<Shot>) => story.map((s) => (s.id === id ? { ...s, ...change } : s));

describe('createPlan', () => {
  it('creates every shot of a new storyboard and totals the seconds and uploads', () => {
    const plan = createPlan(planInputs(manifest, digests));
    expect(plan.shots.map((s) => [s.shot.id, s.kind, s.source, s.seconds])).toEqual([
      ['opening', 'create', 'render', 6],
      ['hero-wakes', 'create', 'render', 4],
      ['castle', 'create', 'render', 5],
    ]);
    expect(plan.totals.secondsToGenerate).toBe(15);
    expect(plan.uploads.map((u) => u.path).sort()).toEqual(['frames/castle.png', 'frames/hero.png', 'refs/front.png']);
    expect(plan.changes).toBe(true);
  });

  it('finds nothing to do after a complete build', () => {
    const plan = replan(story);
    expect(plan.shots.every((s) => s.kind === 'unchanged')).toBe(true);
    expect(plan.changes).toBe(false);
    expect(plan.totals).toMatchObject({ unchanged: 3, secondsToGenerate: 0, imagesToUpload: 0 });
  });

  it('updates an edited shot and says which field changed', () => {
    const plan = replan(edit('opening', { prompt: { kind: 'text', text: 'A storm' } }));
    const opening = shotPlan(plan, 'opening');
    expect(opening.kind).toBe('update');
    expect(opening.reasons.map((r) => r.text)).toEqual(['prompt "prompt of opening" → "A storm"']);
    expect(opening.reasons[0]).toMatchObject({ kind: 'field', field: 'prompt', from: 'prompt of opening', to: 'A storm' });
    expect(shotPlan(plan, 'castle').kind).toBe('unchanged');
    expect(plan.totals.secondsToGenerate).toBe(6);
  });

  it('names every changed field and file, in a stable order', () => {
    const changed = digestsOf({ 'frames/hero.png': 'H2', 'frames/castle.png': 'C', 'refs/front.png': 'F', 'prompts/wake.md': 'W' });
    const plan = replan(edit('hero-wakes', { prompt: { kind: 'text', text: 'She smiles' }, duration: 3 }), {}, changed);
    expect(shotPlan(plan, 'hero-wakes').reasons.map((r) => r.text)).toEqual(['prompt "prompt of hero-wakes" → "She smiles"', 'duration 4 → 3', 'frames/hero.png changed']);
    expect(plan.uploads).toEqual([{ path: 'frames/hero.png', sha256: changed.get('frames/hero.png') }]);
  });

  it('names a changed subject image and subject field', () => {
    const changed = digestsOf({ 'frames/hero.png': 'H', 'frames/castle.png': 'C', 'refs/front.png': 'F2', 'prompts/wake.md': 'W' });
    const plan = replan(edit('castle', { subject: { ...subject, description: 'golden armor' } }), {}, changed);
    expect(shotPlan(plan, 'castle').reasons.map((r) => r.text)).toEqual(['refs/front.png changed', 'subject description added: "golden armor"']);
  });

  it('reports a changed image count, a changed URL and a prompt moved to a file', () => {
    const plan = replan(
      story.map((s) =>
        s.id === 'castle'
          ? { ...s, images: [file('frames/castle.png')] }
          : s.id === 'hero-wakes'
            ? { ...s, image: url('https://example.com/hero.png') }
            : { ...s, prompt: file('prompts/wake.md') },
      ),
    );
    expect(shotPlan(plan, 'castle').reasons.map((r) => r.text)).toEqual(['images: 3 → 2']);
    expect(shotPlan(plan, 'hero-wakes').reasons.map((r) => r.text)).toEqual(['image now "https://example.com/hero.png"']);
    expect(shotPlan(plan, 'opening').reasons.map((r) => r.text)).toEqual(['prompt now from prompts/wake.md']);
  });

  it('reports a changed mode on its own', () => {
    const plan = replan(edit('hero-wakes', { mode: 'multi-image-to-video', images: [file('frames/hero.png')], image: undefined }));
    expect(shotPlan(plan, 'hero-wakes').reasons.map((r) => r.text)).toEqual(['mode image-to-video → multi-image-to-video']);
  });

  it('reports inherited value changes like any other (the value is what the API receives)', () => {
    const plan = replan(story.map((s) => ({ ...s, resolution: '720p' as const })));
    expect(plan.shots.map((s) => s.reasons.map((r) => r.text))).toEqual([['resolution 1080p → 720p'], ['resolution 1080p → 720p'], ['resolution 1080p → 720p']]);
    expect(plan.totals.secondsToGenerate).toBe(15);
  });

  it('takes an edited shot from the cache when that exact version was rendered before (undo costs nothing)', () => {
    const reverted = edit('opening', { prompt: { kind: 'text', text: 'older prompt' } });
    const olderFingerprint = createPlan(planInputs(makeManifest(reverted), digests)).shots[0]!.fingerprint;
    const plan = replan(reverted, { cached: new Set([olderFingerprint]) });
    expect(shotPlan(plan, 'opening')).toMatchObject({ kind: 'update', source: 'cache', seconds: 0 });
    expect(plan.totals).toMatchObject({ secondsToGenerate: 0, fromCache: 1 });
  });

  it('resumes a task already paid for instead of submitting again', () => {
    const edited = edit('opening', { prompt: { kind: 'text', text: 'A storm' } });
    const fp = createPlan(planInputs(makeManifest(edited), digests)).shots[0]!.fingerprint;
    const plan = replan(edited, { inFlight: new Map([[fp, { taskId: 'task-9' }]]) });
    expect(shotPlan(plan, 'opening')).toMatchObject({ kind: 'update', source: 'in-flight', inFlightTaskId: 'task-9', seconds: 0 });
  });

  it('restores a missing or altered output from the cache', () => {
    const state = builtState(manifest, digests);
    const cached = new Set(Object.values(state.lock.shots).map((e) => e.fingerprint));
    const outputs = new Map(state.outputs);
    outputs.set('renders/opening.mp4', { exists: false });
    outputs.set('renders/castle.mp4', { exists: true, size: 1000, sha256: 'e'.repeat(64) });
    const plan = createPlan(planInputs(manifest, digests, { lock: state.lock, outputs, cached }));
    expect(shotPlan(plan, 'opening')).toMatchObject({ kind: 'restore', source: 'cache', seconds: 0 });
    expect(shotPlan(plan, 'opening').reasons.map((r) => r.text)).toEqual(['renders/opening.mp4 is missing']);
    expect(shotPlan(plan, 'castle').reasons.map((r) => r.text)).toEqual(['renders/castle.mp4 was altered']);
    expect(shotPlan(plan, 'hero-wakes').kind).toBe('unchanged');
    expect(plan.changes).toBe(true);
  });

  it('keeps an output altered by hand when the cache lacks its video: nothing paid, reported; --force renders it again', () => {
    const state = builtState(manifest, digests);
    const outputs = new Map(state.outputs);
    outputs.set('renders/castle.mp4', { exists: true, size: 1000, sha256: 'e'.repeat(64) });
    const plan = createPlan(planInputs(manifest, digests, { lock: state.lock, outputs }));
    expect(shotPlan(plan, 'castle')).toMatchObject({ kind: 'unchanged', source: null, seconds: 0, kept: true });
    expect(shotPlan(plan, 'castle').reasons.map((r) => r.text)).toEqual([
      'renders/castle.mp4 was altered by hand: kept (not in the cache; --force castle renders it again, 5 s)',
    ]);
    expect(plan.totals).toMatchObject({ secondsToGenerate: 0, kept: 1, unchanged: 3 });
    expect(plan.changes).toBe(false);
    const forced = createPlan(planInputs(manifest, digests, { lock: state.lock, outputs, force: new Set(['castle']) }));
    expect(shotPlan(forced, 'castle')).toMatchObject({ kind: 'render-again', source: 'render' });
  });

  it('restores every output into a new output folder', () => {
    const state = builtState(manifest, digests);
    const cached = new Set(Object.values(state.lock.shots).map((e) => e.fingerprint));
    const plan = createPlan(planInputs(makeManifest(story, { output: 'videos' }), digests, { ...state, cached }));
    expect(plan.shots.map((s) => [s.kind, s.reasons[0]?.text])).toEqual([
      ['restore', 'output moved to videos/opening.mp4'],
      ['restore', 'output moved to videos/hero-wakes.mp4'],
      ['restore', 'output moved to videos/castle.mp4'],
    ]);
  });

  it('renders again, and says it costs, when the output is gone and not cached', () => {
    const state = builtState(manifest, digests);
    state.outputs.delete('renders/hero-wakes.mp4');
    const plan = createPlan(planInputs(manifest, digests, state));
    expect(shotPlan(plan, 'hero-wakes')).toMatchObject({ kind: 'render-again', source: 'render', seconds: 4 });
    expect(plan.totals.secondsToGenerate).toBe(4);
    expect(plan.uploads.map((u) => u.path)).toEqual(['frames/hero.png']);
  });

  it('lists shots removed from the manifest, sorted', () => {
    const plan = replan(story.filter((s) => s.id !== 'castle' && s.id !== 'opening'));
    expect(plan.removed.map((r) => r.id)).toEqual(['castle', 'opening']);
    expect(plan.changes).toBe(true);
  });

  it('plans only the selected shots with --only, and leaves removed shots alone', () => {
    const plan = replan(edit('castle', { duration: 2 }).filter((s) => s.id !== 'opening'), { only: new Set(['hero-wakes']) });
    expect(plan.shots.map((s) => [s.shot.id, s.kind])).toEqual([['hero-wakes', 'unchanged'], ['castle', 'skipped']]);
    expect(plan.removed).toEqual([]);
    expect(plan.changes).toBe(false);
  });

  it('renders a forced shot again even when unchanged and cached', () => {
    const state = builtState(manifest, digests);
    const cached = new Set(Object.values(state.lock.shots).map((e) => e.fingerprint));
    const plan = createPlan(planInputs(manifest, digests, { ...state, cached, force: new Set(['opening']) }));
    expect(shotPlan(plan, 'opening')).toMatchObject({ kind: 'render-again', source: 'render', seconds: 6 });
    expect(shotPlan(plan, 'opening').reasons.map((r) => r.text)).toEqual(['forced (--force)']);
  });

  it('counts each image content once and skips images already uploaded', () => {
    const shared = [
      makeShot({ id: 'a', mode: 'image-to-video', image: file('frames/hero.png') }),
      makeShot({ id: 'b', mode: 'image-to-video', image: file('frames/hero.png') }),
      makeShot({ id: 'c', mode: 'multi-image-to-video', images: [file('frames/hero.png'), file('frames/castle.png')] }),
      makeShot({ id: 'd', mode: 'image-to-video', image: file('frames/copy-of-hero.png') }),
    ];
    const d = new Map([...digests, ['frames/copy-of-hero.png', digests.get('frames/hero.png')!]]);
    const plan = createPlan(planInputs(makeManifest(shared), d));
    expect(plan.uploads.map((u) => u.path)).toEqual(['frames/hero.png', 'frames/castle.png']);
    const again = createPlan(planInputs(makeManifest(shared), d, { uploaded: new Set([d.get('frames/hero.png')!]) }));
    expect(again.totals.imagesToUpload).toBe(1);
  });
});

describe('a shot with an unanswered create (issue 16, item 3)', () => {
  const manifest = makeManifest([makeShot({ id: 'a', duration: 6 }), makeShot({ id: 'b', duration: 4 })]);
  const digests = digestsOf({});
  const fingerprintOf = (id: string) => shotPlan(createPlan(planInputs(manifest, digests)), id).fingerprint;

  it('is held: not sent, not billed again, counted as possibly billed', () => {
    const plan = createPlan(planInputs(manifest, digests, { inDoubt: new Set([fingerprintOf('a')]) }));
    expect(shotPlan(plan, 'a')).toMatchObject({ source: 'render', heldInDoubt: true, seconds: 0 });
    expect(plan.totals).toMatchObject({ secondsToGenerate: 4, heldInDoubt: 1, secondsPossiblyBilled: 6 });
    expect(budgetSeconds(plan)).toBe(4);
  });

  it('is sent again only with --force, and then weighs twice against --max-seconds', () => {
    const plan = createPlan(planInputs(manifest, digests, { inDoubt: new Set([fingerprintOf('a')]), force: new Set(['a']) }));
    expect(shotPlan(plan, 'a')).toMatchObject({ source: 'render', seconds: 6, reasons: [{ kind: 'forced' }, { kind: 'in-doubt' }] });
    expect(shotPlan(plan, 'a')).not.toHaveProperty('heldInDoubt');
    expect(plan.totals).toMatchObject({ secondsToGenerate: 10, heldInDoubt: 0, secondsPossiblyBilled: 6 });
    expect(budgetSeconds(plan)).toBe(16);
  });
});
