import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/plan/create-plan.js';
import { formatPlan } from '../../../src/plan/format-plan.js';
import { createPlanJson } from '../../../src/plan/plan-json.js';
import { createPalette } from '../../../src/util/palette.js';
import { builtState, digestsOf, file, makeManifest, makeShot, planInputs } from '../../helpers/builders.js';

const plain = createPalette(false);
const digests = digestsOf({ 'frames/hero.png': 'H' });
const story = [
  makeShot({ id: 'opening', seed: 1 }),
  makeShot({ id: 'hero-wakes', mode: 'image-to-video', image: file('frames/hero.png'), duration: 4, seed: 2 }),
  makeShot({ id: 'finale', seed: 3 }),
  makeShot({ id: 'old', seed: 4 }),
];

describe('formatPlan', () => {
  it('prints Terraform-like lines with reasons and costs', () => {
    const state = builtState(makeManifest(story), digests);
    state.outputs.delete('renders/finale.mp4');
    const edited = [
      { ...story[0]!, prompt: { kind: 'text' as const, text: 'new' } },
      { ...story[1]!, duration: 3 },
      story[2]!,
      makeShot({ id: 'brand-new', seed: 5 }),
    ];
    const plan = createPlan(planInputs(makeManifest(edited), digestsOf({ 'frames/hero.png': 'H2' }), state));
    expect(formatPlan(plan, plain)).toMatchInlineSnapshot(`
      "~ opening     prompt "prompt of opening" → "new"  seed 1  6 s
      ~ hero-wakes  duration 4 → 3, frames/hero.png changed  seed 2  3 s
      ! finale      renders/finale.mp4 is missing (not in cache: renders again)  seed 3  6 s
      + brand-new   new shot  seed 5  6 s
      - old         removed from the manifest (renders/old.mp4 is left in place)

      Plan: 4 to render (21 s of video), 1 removed; 1 image to upload.
      "
    `);
  });

  it('shows a long prompt\'s change around the words that changed, and a changed seed once', () => {
    const long = makeShot({ id: 'opening', seed: 1, prompt: { kind: 'text', text: 'A sunset over the ocean, waves crashing against the cliffs below a castle' } });
    const state = builtState(makeManifest([long]), digests);
    const edited = { ...long, seed: 9, prompt: { kind: 'text' as const, text: 'A sunset over the ocean, waves breaking against the cliffs below a castle' } };
    const plan = createPlan(planInputs(makeManifest([edited]), digests, state));
    expect(formatPlan(plan, plain).split('\n')[0]).toBe('~ opening   prompt "…waves crashing against…" → "…waves breaking against…", seed 1 → 9  6 s');
  });

  it('says plainly when there is nothing to do', () => {
    const state = builtState(makeManifest(story), digests);
    const plan = createPlan(planInputs(makeManifest(story), digests, state));
    expect(formatPlan(plan, plain)).toMatchInlineSnapshot(`
      "= 4 unchanged: opening, hero-wakes, finale, old

      No changes: 4 shots up to date.
      "
    `);
  });

  it('colours symbols only when the palette is enabled', () => {
    const plan = createPlan(planInputs(makeManifest(story), digests));
    expect(formatPlan(plan, createPalette(true))).toContain('\u001b[32m+\u001b[39m');
    expect(formatPlan(plan, plain)).not.toContain('\u001b[');
  });
});

describe('createPlanJson', () => {
  it('is a stable, documented shape', () => {
    const plan = createPlan(planInputs(makeManifest(story.slice(0, 2)), digests));
    const json = createPlanJson(plan, 'bach.yaml');
    expect(Object.keys(json)).toEqual(['planVersion', 'manifest', 'changes', 'totals', 'shots', 'removed', 'strayOutputs', 'uploads']);
    expect(json.shots[1]).toEqual({
      id: 'hero-wakes',
      action: 'create',
      source: 'render',
      fingerprint: plan.shots[1]!.fingerprint,
      previousFingerprint: null,
      seed: 2,
      seconds: 4,
      output: 'renders/hero-wakes.mp4',
      reasons: [{ kind: 'new', text: 'new shot' }],
      taskId: null,
      mode: 'image-to-video',
      model: 'bach-1.0-preview',
      prompt: 'prompt of hero-wakes',
      promptFile: null,
      negativePrompt: null,
      audioPrompt: null,
      generateAudio: false,
      images: [{ kind: 'file', path: 'frames/hero.png' }],
      subject: null,
      resolution: '1080p',
      aspectRatio: '16:9',
      width: 1920,
      height: 1080,
      duration: 4,
      fps: 24,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('describes subjects, URLs and prompt files (their text only when the caller read it)', () => {
    const shot = makeShot({
      id: 'castle',
      mode: 'multi-image-to-video',
      images: [file('frames/castle.png'), { kind: 'url', url: 'https://example.com/sky.jpg' }],
      subject: { key: 'hero', name: 'Hero', type: 'character', description: 'In armor', images: [file('refs/a.png')] },
      prompt: { kind: 'file', path: 'prompts/castle.md' },
      negativePrompt: 'blurry',
      aspectRatio: '9:16',
      resolution: '720p',
      seed: 9,
    });
    const plan = createPlan(planInputs(makeManifest([shot]), digestsOf({ 'frames/castle.png': 'C', 'refs/a.png': 'A', 'prompts/castle.md': 'P' })));
    const without = createPlanJson(plan, 'bach.yaml').shots[0]!;
    expect(without).toMatchObject({
      prompt: null,
      promptFile: 'prompts/castle.md',
      negativePrompt: 'blurry',
      images: [{ kind: 'file', path: 'frames/castle.png' }, { kind: 'url', url: 'https://example.com/sky.jpg' }],
      subject: { key: 'hero', name: 'Hero', type: 'character', description: 'In armor', images: [{ kind: 'file', path: 'refs/a.png' }] },
      width: 720,
      height: 1280,
    });
    const withText = createPlanJson(plan, 'bach.yaml', { promptTexts: new Map([['prompts/castle.md', 'The hero walks']]) }).shots[0]!;
    expect(withText.prompt).toBe('The hero walks');
  });

  it('gives field and file reasons their values before and after (planVersion stays 1)', () => {
    const state = builtState(makeManifest(story), digests);
    const edited = [{ ...story[0]!, prompt: { kind: 'text' as const, text: 'new' } }, { ...story[1]!, duration: 3 }, story[2]!, story[3]!];
    const plan = createPlan(planInputs(makeManifest(edited), digestsOf({ 'frames/hero.png': 'H2' }), state));
    const json = createPlanJson(plan, 'bach.yaml');
    expect(json.planVersion).toBe(1);
    expect(json.shots[0]!.reasons).toEqual([{ kind: 'field', field: 'prompt', text: 'prompt "prompt of opening" → "new"', from: 'prompt of opening', to: 'new' }]);
    expect(json.shots[1]!.reasons).toEqual([
      { kind: 'field', field: 'duration', text: 'duration 4 → 3', from: 4, to: 3 },
      { kind: 'file', path: 'frames/hero.png', text: 'frames/hero.png changed', from: { sha256: digests.get('frames/hero.png') }, to: { sha256: digestsOf({ 'frames/hero.png': 'H2' }).get('frames/hero.png') } },
    ]);
    expect(json.shots[2]!.reasons).toEqual([]);
  });
});
