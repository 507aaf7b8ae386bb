import { describe, expect, it } from 'vitest';
import { API_DEFAULTS } from '../../../src/contract/capabilities.js';
import {
  buildFingerprintRequest,
  createFingerprintBody,
  deriveSeed,
  fingerprintRequest,
  LATER_FIELDS,
  SCHEME_1_FIELDS,
} from '../../../src/contract/fingerprint.js';
import { BUILT_IN_DEFAULTS } from '../../../src/manifest/defaults.js';
import type { Shot } from '../../../src/manifest/types.js';
import { digestsOf, file, makeShot, url } from '../../helpers/builders.js';

// The fingerprint's promise to every project already built (src/contract/fingerprint.ts, "Stability"):
// what a later release may change without moving a fingerprint — and the fingerprints themselves,
// pinned as bach-render 0.1.0 computed them.

const digests = digestsOf({ 'frames/a.png': 'a', 'frames/b.png': 'b', 'refs/front.png': 'front', 'prompts/p.md': 'p' });

const SHOTS: Shot[] = [
  makeShot({ id: 't2v', seed: 42 }),
  makeShot({ id: 't2v-extras', seed: 1, negativePrompt: 'blurry', audioPrompt: 'waves', generateAudio: true, enhancePrompt: false, cfgScale: 7.5, aspectRatio: '1:1', resolution: '720p' }),
  makeShot({ id: 'i2v', mode: 'image-to-video', seed: 7, duration: 2, image: file('frames/a.png') }),
  makeShot({ id: 'i2v-url', mode: 'image-to-video', seed: 7, image: url('https://example.com/a.png'), enableModeration: true, prompt: undefined }),
  makeShot({
    id: 'multi',
    mode: 'multi-image-to-video',
    seed: 9,
    images: [file('frames/a.png'), file('frames/b.png')],
    subject: { key: 'hero', name: 'hero', type: 'character', description: 'gold', images: [file('refs/front.png')] },
    prompt: { kind: 'file', path: 'prompts/p.md' },
  }),
  makeShot({ id: 'multi-plain', mode: 'multi-image-to-video', seed: 3, images: [file('frames/b.png')], subject: { key: 'o', name: 'thing', type: 'object', images: [file('refs/front.png')] } }),
];

/** As bach-render 0.1.0 (scheme 1) computed them: [fingerprint, seed derived when the shot sets none]. */
const PINNED: Record<string, [string, number]> = {
  t2v: ['f3e57f1e5f1f37b83b0040c8695a0ba6bfdacac179eee21b160411a74b2cf6f5', 1341978],
  't2v-extras': ['5aeab47e83cac3a7b9912aeca6a6a2568888768a07364369fe1f7acadf84866e', 8507633],
  i2v: ['3323874aa5b66da7e489b431d91b375ac12b1b88d7e92a58589cc9ba09abc854', 2509928],
  'i2v-url': ['1240fc2b2de6539a0ff49531e97b158aa4be8ffae82428b4b5b51f809bd0b196', 341384],
  multi: ['9bc6f6ded066447a324c59d317c90c191eb0ca04edfa67c2e84e30f90bd93c09', 3719954],
  'multi-plain': ['8d9b222966f72d07dd6b94d2db78d9162776645978d7ad69621d86695d4edecb', 8373740],
};

const bodyOf = (shot: Shot) => buildFingerprintRequest(shot, digests, shot.seed!).body;

describe('the fingerprints of scheme 1', () => {
  it.each(SHOTS.map((shot) => [shot.id, shot] as const))('%s: the fingerprint and derived seed 0.1.0 computed', (id, shot) => {
    const { seed: _seed, ...withoutSeed } = shot;
    expect([fingerprintRequest(shot.mode, bodyOf(shot)), deriveSeed(withoutSeed, digests)]).toEqual(PINNED[id]);
  });

  it('is what the stable form leaves unchanged: every body scheme 1 builds is already in it', () => {
    for (const shot of SHOTS) expect(createFingerprintBody(shot.mode, bodyOf(shot))).toEqual(bodyOf(shot));
  });
});

describe('a field sent at the API default fingerprints as the field left out', () => {
  it.each(['aspect_ratio', 'generate_audio', 'enhance_prompt', 'cfg_scale'])('%s, always sent by scheme 1, may be left out at its default', (field) => {
    const shot = SHOTS[0]!;
    const { [field]: _left, ...without } = bodyOf(shot);
    expect(fingerprintRequest(shot.mode, without)).toBe(PINNED.t2v![0]);
    // Not at its default, it counts.
    expect(fingerprintRequest(shot.mode, { ...bodyOf(shot), [field]: field === 'aspect_ratio' ? '9:16' : field === 'cfg_scale' ? 6 : !API_DEFAULTS[field as 'generate_audio'] })).not.toBe(PINNED.t2v![0]);
  });

  it('enable_moderation (image-to-video) and subject_type (with a subject) may be left out at their defaults', () => {
    const i2v = SHOTS[2]!;
    const { enable_moderation: _m, ...noModeration } = bodyOf(i2v);
    expect(fingerprintRequest(i2v.mode, noModeration)).toBe(PINNED.i2v![0]);
    const multi = SHOTS[4]!;
    const { subject_type: _t, ...noType } = bodyOf(multi);
    expect(fingerprintRequest(multi.mode, noType)).toBe(PINNED.multi![0]);
  });

  it.each(['negative_prompt', 'audio_prompt', 'subject_desc'])('%s, left out by scheme 1 when empty, may be sent empty', (field) => {
    const shot = SHOTS[0]!;
    expect(fingerprintRequest(shot.mode, { ...bodyOf(shot), [field]: '' })).toBe(PINNED.t2v![0]);
  });
});

describe('a request field added later', () => {
  const later = { camera_motion: 'none' };

  it('does not move the fingerprint of a shot that leaves it at its API default', () => {
    for (const shot of SHOTS) {
      const before = fingerprintRequest(shot.mode, bodyOf(shot), later);
      expect(fingerprintRequest(shot.mode, { ...bodyOf(shot), camera_motion: 'none' }, later)).toBe(before);
      expect(before).toBe(PINNED[shot.id]![0]);
    }
  });

  it('moves it when set to anything else', () => {
    const shot = SHOTS[0]!;
    expect(fingerprintRequest(shot.mode, { ...bodyOf(shot), camera_motion: 'pan-left' }, later)).not.toBe(PINNED.t2v![0]);
  });

  it('must be registered: every field the request builder sends is of scheme 1 or in LATER_FIELDS', () => {
    const sent = new Set(SHOTS.flatMap((shot) => Object.keys(bodyOf(shot))));
    for (const field of sent) expect(SCHEME_1_FIELDS.includes(field) || Object.hasOwn(LATER_FIELDS, field), field).toBe(true);
  });
});

describe('what never counts', () => {
  it('callback_url does not change the video, so not the fingerprint', () => {
    const shot = SHOTS[0]!;
    expect(fingerprintRequest(shot.mode, { ...bodyOf(shot), callback_url: 'https://hooks.example/done' })).toBe(PINNED.t2v![0]);
  });

  it('the API defaults agree with the manifest built-in defaults', () => {
    expect(API_DEFAULTS).toMatchObject({
      aspect_ratio: BUILT_IN_DEFAULTS.aspect_ratio,
      generate_audio: BUILT_IN_DEFAULTS.generate_audio,
      enhance_prompt: BUILT_IN_DEFAULTS.enhance_prompt,
      cfg_scale: BUILT_IN_DEFAULTS.cfg_scale,
      negative_prompt: BUILT_IN_DEFAULTS.negative_prompt,
      audio_prompt: BUILT_IN_DEFAULTS.audio_prompt,
      enable_moderation: BUILT_IN_DEFAULTS.enable_moderation,
      subject_type: BUILT_IN_DEFAULTS.subject_type,
      subject_desc: BUILT_IN_DEFAULTS.subject_description,
    });
  });
});
