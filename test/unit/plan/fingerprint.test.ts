import { describe, expect, it } from 'vitest';
import type { Shot } from '../../../src/manifest/types.js';
import { createPlan } from '../../../src/plan/create-plan.js';
import { buildFingerprintRequest, deriveSeed, fingerprintRequest } from '../../../src/contract/fingerprint.js';
import { digestsOf, file, makeManifest, makeShot, planInputs, url } from '../../helpers/builders.js';

const digests = digestsOf({ 'frames/a.png': 'A', 'frames/b.png': 'B', 'refs/hero.png': 'H', 'prompts/p.md': 'P' });

function fingerprintOf(shot: Shot, d = digests): string {
  const { body } = buildFingerprintRequest(shot, d, shot.seed ?? 1);
  return fingerprintRequest(shot.mode, body);
}

function fingerprints(shots: Shot[], d = digests, overrides: Parameters<typeof makeManifest>[1] = {}): Record<string, string> {
  const plan = createPlan(planInputs(makeManifest(shots, overrides), d));
  return Object.fromEntries(plan.shots.map((s) => [s.shot.id, s.fingerprint]));
}

describe('fingerprint', () => {
  const story = [
    makeShot({ id: 'opening', seed: 42 }),
    makeShot({ id: 'wake', mode: 'image-to-video', image: file('frames/a.png'), seed: 7 }),
    makeShot({ id: 'castle', mode: 'multi-image-to-video', images: [file('frames/b.png'), url('https://example.com/sky.jpg')], seed: 9 }),
  ];

  it('is the same when shots are reordered', () => {
    expect(fingerprints([...story].reverse())).toEqual(fingerprints(story));
  });

  it('is the same when the project folder moves', () => {
    expect(fingerprints(story, digests, { root: '/elsewhere/project', file: '/elsewhere/project/bach.yaml' })).toEqual(fingerprints(story));
  });

  it('is the same when an image is renamed to identical content', () => {
    const renamed = digestsOf({ 'frames/a.png': 'A', 'frames/renamed.png': 'B', 'refs/hero.png': 'H', 'prompts/p.md': 'P' });
    const moved = story.map((s) => (s.id === 'castle' ? { ...s, images: [file('frames/renamed.png'), url('https://example.com/sky.jpg')] } : s));
    expect(fingerprints(moved, renamed)).toEqual(fingerprints(story));
  });

  it('is the same when the output folder changes (the video would be the same)', () => {
    expect(fingerprints(story, digests, { output: 'videos' })).toEqual(fingerprints(story));
  });

  it('does not depend on the shot id', () => {
    const base = makeShot({ id: 'a', seed: 1 });
    expect(fingerprintOf({ ...base, id: 'b' })).toBe(fingerprintOf(base));
  });

  const changes: [string, Partial<Shot>][] = [
    ['prompt', { prompt: { kind: 'text', text: 'another prompt' } }],
    ['prompt from a file instead', { prompt: file('prompts/p.md') }],
    ['negative prompt', { negativePrompt: 'blurry' }],
    ['audio prompt', { audioPrompt: 'waves' }],
    ['generate audio', { generateAudio: true }],
    ['enhance prompt', { enhancePrompt: false }],
    ['cfg scale', { cfgScale: 7.5 }],
    ['resolution', { resolution: '720p' }],
    ['aspect ratio', { aspectRatio: '9:16' }],
    ['duration', { duration: 5 }],
    ['seed', { seed: 2 }],
    ['model', { model: 'bach-2.0' }],
  ];
  it.each(changes)('changes when the %s changes', (_name, change) => {
    const base = makeShot({ id: 'a', seed: 1 });
    expect(fingerprintOf({ ...base, ...change })).not.toBe(fingerprintOf(base));
  });

  it.each([
    ['the image', { image: file('frames/b.png') }],
    ['the image to a URL', { image: url('https://example.com/a.png') }],
    ['moderation', { enableModeration: true }],
  ] as [string, Partial<Shot>][])('changes for image-to-video when %s changes', (_name, change) => {
    const base = makeShot({ id: 'a', mode: 'image-to-video', seed: 1 });
    expect(fingerprintOf({ ...base, ...change })).not.toBe(fingerprintOf(base));
  });

  it('changes for multi-image shots when image order, subject name, description, type or images change', () => {
    const subject = { key: 'hero', name: 'hero', type: 'character' as const, images: [file('refs/hero.png')] };
    const base = makeShot({ id: 'a', mode: 'multi-image-to-video', images: [file('frames/a.png'), file('frames/b.png')], subject, seed: 1 });
    const variants: Partial<Shot>[] = [
      { images: [file('frames/b.png'), file('frames/a.png')] },
      { subject: { ...subject, name: 'Hero' } },
      { subject: { ...subject, description: 'in armor' } },
      { subject: { ...subject, type: 'object' } },
      { subject: { ...subject, images: [file('refs/hero.png'), file('frames/a.png')] } },
      { subject: undefined },
    ];
    const seen = new Set([fingerprintOf(base)]);
    for (const variant of variants) seen.add(fingerprintOf({ ...base, ...variant }));
    expect(seen.size).toBe(variants.length + 1);
  });

  it('changes exactly the shots that use a file when one byte of it changes', () => {
    const shots = [
      makeShot({ id: 'uses-a', mode: 'image-to-video', image: file('frames/a.png'), seed: 1 }),
      makeShot({ id: 'uses-b', mode: 'image-to-video', image: file('frames/b.png'), seed: 1 }),
      makeShot({ id: 'uses-a-too', mode: 'multi-image-to-video', images: [file('frames/b.png'), file('frames/a.png')], seed: 1 }),
      makeShot({ id: 'text', seed: 1 }),
    ];
    const before = fingerprints(shots);
    const after = fingerprints(shots, new Map([...digests, ['frames/a.png', digestsOf({ x: 'A2' }).get('x')!]]));
    const changed = Object.keys(before).filter((id) => before[id] !== after[id]);
    expect(changed.sort()).toEqual(['uses-a', 'uses-a-too']);
  });

  it('changes exactly the shots that inherit a changed default', () => {
    // A default reaches the resolved shot; what matters is the effective value, wherever it came from.
    const inherits = makeShot({ id: 'inherits', seed: 1, resolution: '720p' });
    const own = makeShot({ id: 'own', seed: 1, resolution: '1080p' });
    const before = fingerprints([inherits, own]);
    const after = fingerprints([{ ...inherits, resolution: '1080p' }, own]);
    expect(after.inherits).not.toBe(before.inherits);
    expect(after.own).toBe(before.own);
  });

  it('is a 64-digit hex sha256 and includes the scheme version', () => {
    const fp = fingerprintOf(makeShot({ id: 'a', seed: 1 }));
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('seed', () => {
  it('derives a left-out seed from the request, within the API range and stable', () => {
    const shot = makeShot({ id: 'a' });
    const seed = deriveSeed(shot, digests);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThanOrEqual(10_000_000);
    expect(deriveSeed({ ...shot, id: 'renamed' }, digests)).toBe(seed);
    expect(deriveSeed({ ...shot, prompt: { kind: 'text', text: 'other' } }, digests)).not.toBe(seed);
  });

  it('keeps the locked seed when the manifest leaves it out, even after an edit', () => {
    const shot = makeShot({ id: 'a' });
    const first = createPlan(planInputs(makeManifest([shot]), digests)).shots[0]!;
    const lock = {
      lockfileVersion: 1 as const,
      shots: { a: { fingerprint: first.fingerprint, mode: shot.mode, request: first.request, seed: 1234, taskId: 't', output: { path: 'renders/a.mp4', size: 1, sha256: 'f'.repeat(64) } } },
    };
    const edited = createPlan(planInputs(makeManifest([{ ...shot, prompt: { kind: 'text', text: 'edited' } }]), digests, { lock })).shots[0]!;
    expect(edited.seed).toBe(1234);
    expect(edited.request.seed).toBe(1234);
  });

  it('uses the manifest seed over the locked one', () => {
    const plan = createPlan(planInputs(makeManifest([makeShot({ id: 'a', seed: 5 })]), digests));
    expect(plan.shots[0]!.seed).toBe(5);
  });
});
