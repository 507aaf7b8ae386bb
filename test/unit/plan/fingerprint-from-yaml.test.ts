import { describe, expect, it } from 'vitest';
import { createManifestFromText } from '../../../src/manifest/from-text.js';
import { createPlan } from '../../../src/plan/create-plan.js';
import { digestsOf, planInputs } from '../../helpers/builders.js';

// Fingerprints from real manifest text (the pure loader, no disk): what a user writes differently
// without changing what the API receives must not change any fingerprint; what the API receives
// must change exactly the affected shots.

const digests = digestsOf({ 'frames/hero.png': 'H', 'frames/castle.png': 'C', 'refs/front.png': 'F', 'prompts/castle.md': 'P' });

function fingerprints(text: string, d = digests): Record<string, string> {
  const { manifest } = createManifestFromText(text);
  return Object.fromEntries(createPlan(planInputs(manifest, d)).shots.map((s) => [s.shot.id, s.fingerprint]));
}

const BASE = `version: 1
defaults:
  resolution: 720p
  negative_prompt: blurry
subjects:
  hero:
    type: character
    images: [refs/front.png]
shots:
  - id: opening
    mode: text-to-video
    prompt: A sunset over the ocean
    seed: 42
  - id: wake
    mode: image-to-video
    image: frames/hero.png
    prompt: She opens her eyes
    duration: 2
    seed: 7
  - id: castle
    mode: multi-image-to-video
    images: [frames/castle.png]
    subject: hero
    prompt_file: prompts/castle.md
    duration: 3
    seed: 9
`;

describe('fingerprints from manifest text', () => {
  it('do not change with formatting, comments, quoting, flow style or key order', () => {
    const restyled = `# my storyboard
version: 1
defaults: { negative_prompt: "blurry", resolution: '720p' }   # inline
subjects:
  hero: { images: [ "refs/front.png" ], type: character }
shots:
  - { id: castle, mode: multi-image-to-video, subject: hero, images: [frames/castle.png], prompt_file: ./prompts/castle.md, seed: 9, duration: 3 }
  - seed: 7
    duration: 2
    prompt: "She opens her eyes"
    image: ./frames//hero.png
    mode: image-to-video
    id: wake

  - id: opening   # first in the film, last here
    mode: text-to-video
    prompt: >-
      A sunset over
      the ocean
    seed: 42
`;
    expect(fingerprints(restyled)).toEqual(fingerprints(BASE));
  });

  it('do not change when an anchor and alias replace a literal', () => {
    const anchored = BASE.replace('prompt: A sunset over the ocean', 'prompt: &sunset A sunset over the ocean').replace(
      '  - id: castle',
      '  - id: again\n    mode: text-to-video\n    prompt: *sunset\n    seed: 42\n  - id: castle',
    );
    const literal = BASE.replace('  - id: castle', '  - id: again\n    mode: text-to-video\n    prompt: A sunset over the ocean\n    seed: 42\n  - id: castle');
    expect(fingerprints(anchored)).toEqual(fingerprints(literal));
    expect(fingerprints(anchored).again).toBe(fingerprints(anchored).opening);
  });

  it('do not change when a shot states the value its default would give it', () => {
    const explicit = BASE.replace('    prompt: A sunset over the ocean\n', '    prompt: A sunset over the ocean\n    fps: 24\n    resolution: 720p\n    cfg_scale: 5.0\n    negative_prompt: blurry\n');
    expect(fingerprints(explicit)).toEqual(fingerprints(BASE));
  });

  it('change exactly the shots that inherit a changed default', () => {
    const own = BASE.replace('    duration: 2\n', '    duration: 2\n    negative_prompt: blurry\n');
    const before = fingerprints(own);
    const after = fingerprints(own.replace('  negative_prompt: blurry\nsubjects', '  negative_prompt: grainy\nsubjects'));
    expect(Object.keys(before).filter((id) => before[id] !== after[id]).sort()).toEqual(['castle', 'opening']);
  });

  it('change exactly the shots that use a subject when the subject changes', () => {
    const before = fingerprints(BASE);
    const after = fingerprints(BASE.replace('    type: character\n', '    type: object\n'));
    expect(Object.keys(before).filter((id) => before[id] !== after[id])).toEqual(['castle']);
  });

  it('change exactly the shot whose prompt file changes by one byte', () => {
    const before = fingerprints(BASE);
    const after = fingerprints(BASE, new Map([...digests, ['prompts/castle.md', digestsOf({ x: 'P2' }).get('x')!]]));
    expect(Object.keys(before).filter((id) => before[id] !== after[id])).toEqual(['castle']);
  });
});
