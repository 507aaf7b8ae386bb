import { describe, expect, it } from 'vitest';
import { errorCodes, load, manifestWith, SHOTS, withField, type Fields } from './helpers.js';

// Every limit of the manifest format, just inside and just outside. Each case is a valid manifest
// with one field changed; `ok` means no error at all, otherwise the one error code expected.

const text = (length: number) => 'x'.repeat(length);
const emoji = (count: number) => '🎬'.repeat(count); // 2 UTF-16 code units each
const images = (count: number) => Array.from({ length: count }, (_, i) => `frames/${i}.png`);
const subject = (fields: Fields = {}) => ({ hero: { images: ['refs/front.png'], ...fields } });

interface Case {
  name: string;
  manifest: Fields;
  expect: 'ok' | string;
}

const shot = (kind: keyof typeof SHOTS, key: string, value: unknown, top: Fields = {}): Fields =>
  manifestWith(top, [withField(SHOTS[kind]!, key, value)]);
const multi = (fields: Fields, top: Fields = { subjects: subject() }): Fields =>
  manifestWith(top, [{ ...SHOTS.multi!, ...fields }]);

const cases: Case[] = [
  // duration, per mode (the shot's own value)
  { name: 'text-to-video duration 6', manifest: shot('t2v', 'duration', 6), expect: 'ok' },
  { name: 'text-to-video duration 5', manifest: shot('t2v', 'duration', 5), expect: 'enum' },
  { name: 'text-to-video duration 7', manifest: shot('t2v', 'duration', 7), expect: 'enum' },
  { name: 'image-to-video duration 1', manifest: shot('i2v', 'duration', 1), expect: 'ok' },
  { name: 'image-to-video duration 5', manifest: shot('i2v', 'duration', 5), expect: 'ok' },
  { name: 'image-to-video duration 0', manifest: shot('i2v', 'duration', 0), expect: 'enum' },
  { name: 'image-to-video duration 6', manifest: shot('i2v', 'duration', 6), expect: 'enum' },
  { name: 'multi-image duration 1', manifest: shot('multi', 'duration', 1), expect: 'ok' },
  { name: 'multi-image duration 5', manifest: shot('multi', 'duration', 5), expect: 'ok' },
  { name: 'multi-image duration 0', manifest: shot('multi', 'duration', 0), expect: 'enum' },
  { name: 'multi-image duration 6', manifest: shot('multi', 'duration', 6), expect: 'enum' },
  { name: 'duration 2.5', manifest: shot('i2v', 'duration', 2.5), expect: 'enum' },
  // duration inherited from defaults (a rule: the effective value)
  { name: 'defaults.duration 1 (shot sets its own)', manifest: manifestWith({ defaults: { duration: 1 } }, [withField(SHOTS.t2v!, 'duration', 6)]), expect: 'ok' },
  { name: 'defaults.duration 6 for text-to-video', manifest: manifestWith({ defaults: { duration: 6 } }), expect: 'ok' },
  { name: 'defaults.duration 5 for text-to-video', manifest: manifestWith({ defaults: { duration: 5 } }), expect: 'enum' },
  { name: 'defaults.duration 5 for image-to-video', manifest: manifestWith({ defaults: { duration: 5 } }, [SHOTS.i2v!]), expect: 'ok' },
  { name: 'defaults.duration 6 for image-to-video', manifest: manifestWith({ defaults: { duration: 6 } }, [SHOTS.i2v!]), expect: 'enum' },
  { name: 'defaults.duration 0', manifest: manifestWith({ defaults: { duration: 0 } }), expect: 'enum' },
  { name: 'defaults.duration 7', manifest: manifestWith({ defaults: { duration: 7 } }), expect: 'enum' },
  // fps, resolution, aspect ratio, model
  { name: 'fps 24', manifest: shot('t2v', 'fps', 24), expect: 'ok' },
  { name: 'fps 23', manifest: shot('t2v', 'fps', 23), expect: 'enum' },
  { name: 'fps 25', manifest: shot('t2v', 'fps', 25), expect: 'enum' },
  { name: 'defaults.fps 30', manifest: manifestWith({ defaults: { fps: 30 } }), expect: 'enum' },
  { name: 'resolution 720p', manifest: shot('t2v', 'resolution', '720p'), expect: 'ok' },
  { name: 'resolution 1080p', manifest: shot('t2v', 'resolution', '1080p'), expect: 'ok' },
  { name: 'resolution 1080P', manifest: shot('t2v', 'resolution', '1080P'), expect: 'enum' },
  { name: 'resolution 480p', manifest: shot('i2v', 'resolution', '480p'), expect: 'enum' },
  { name: 'aspect ratio 16:9', manifest: shot('t2v', 'aspect_ratio', '16:9'), expect: 'ok' },
  { name: 'aspect ratio 9:16', manifest: shot('t2v', 'aspect_ratio', '9:16'), expect: 'ok' },
  { name: 'aspect ratio 1:1', manifest: shot('multi', 'aspect_ratio', '1:1'), expect: 'ok' },
  { name: 'aspect ratio 4:3', manifest: shot('t2v', 'aspect_ratio', '4:3'), expect: 'enum' },
  { name: 'model bach-1.0-preview', manifest: shot('t2v', 'model', 'bach-1.0-preview'), expect: 'ok' },
  { name: 'model bach-2', manifest: shot('t2v', 'model', 'bach-2'), expect: 'enum' },
  // seed and cfg_scale
  { name: 'seed 0', manifest: shot('t2v', 'seed', 0), expect: 'ok' },
  { name: 'seed 10000000', manifest: shot('t2v', 'seed', 10_000_000), expect: 'ok' },
  { name: 'seed -1', manifest: shot('t2v', 'seed', -1), expect: 'range' },
  { name: 'seed 10000001', manifest: shot('t2v', 'seed', 10_000_001), expect: 'range' },
  { name: 'seed 1.5', manifest: shot('t2v', 'seed', 1.5), expect: 'type' },
  { name: 'seed "42"', manifest: shot('t2v', 'seed', '42'), expect: 'type' },
  { name: 'cfg_scale 1', manifest: shot('t2v', 'cfg_scale', 1), expect: 'ok' },
  { name: 'cfg_scale 15', manifest: shot('t2v', 'cfg_scale', 15), expect: 'ok' },
  { name: 'cfg_scale 7.5', manifest: shot('t2v', 'cfg_scale', 7.5), expect: 'ok' },
  { name: 'cfg_scale 0.99', manifest: shot('t2v', 'cfg_scale', 0.99), expect: 'range' },
  { name: 'cfg_scale 15.01', manifest: shot('t2v', 'cfg_scale', 15.01), expect: 'range' },
  { name: 'defaults.cfg_scale 16', manifest: manifestWith({ defaults: { cfg_scale: 16 } }), expect: 'range' },
  // text lengths, in UTF-16 code units
  { name: 'prompt 10000 characters', manifest: shot('t2v', 'prompt', text(10_000)), expect: 'ok' },
  { name: 'prompt 10001 characters', manifest: shot('t2v', 'prompt', text(10_001)), expect: 'length' },
  { name: 'prompt 5000 emoji (10000 units)', manifest: shot('t2v', 'prompt', emoji(5000)), expect: 'ok' },
  { name: 'prompt 5000 emoji and a letter', manifest: shot('t2v', 'prompt', `${emoji(5000)}a`), expect: 'length' },
  { name: 'prompt empty', manifest: shot('t2v', 'prompt', ''), expect: 'length' },
  { name: 'negative_prompt 10000', manifest: shot('t2v', 'negative_prompt', text(10_000)), expect: 'ok' },
  { name: 'negative_prompt 10001', manifest: shot('t2v', 'negative_prompt', text(10_001)), expect: 'length' },
  { name: 'defaults.negative_prompt 10001', manifest: manifestWith({ defaults: { negative_prompt: text(10_001) } }), expect: 'length' },
  { name: 'audio_prompt 200', manifest: shot('t2v', 'audio_prompt', text(200)), expect: 'ok' },
  { name: 'audio_prompt 201', manifest: shot('t2v', 'audio_prompt', text(201)), expect: 'length' },
  { name: 'defaults.audio_prompt 201', manifest: manifestWith({ defaults: { audio_prompt: text(201) } }), expect: 'length' },
  // multi-image element count: 9 elements, the subject's images counting as one
  { name: '1 image, no subject', manifest: multi({ images: images(1) }, {}), expect: 'ok' },
  { name: '9 images, no subject', manifest: multi({ images: images(9) }, {}), expect: 'ok' },
  { name: '10 images, no subject', manifest: multi({ images: images(10) }, {}), expect: 'too-many-images' },
  { name: '0 images, no subject', manifest: multi({ images: [] }, {}), expect: 'too-few-images' },
  { name: 'no images field, no subject', manifest: multi({ images: undefined }, {}), expect: 'required' },
  { name: 'subject and no images field', manifest: { ...multi({ subject: 'hero' }), shots: [withField({ ...SHOTS.multi!, subject: 'hero' }, 'images', undefined)] }, expect: 'ok' },
  { name: 'subject and 0 images', manifest: multi({ subject: 'hero', images: [] }), expect: 'ok' },
  { name: 'subject and 8 images', manifest: multi({ subject: 'hero', images: images(8) }), expect: 'ok' },
  { name: 'subject and 9 images', manifest: multi({ subject: 'hero', images: images(9) }), expect: 'too-many-images' },
  // subjects
  { name: 'subject with 1 image', manifest: multi({ subject: 'hero' }, { subjects: subject({ images: images(1) }) }), expect: 'ok' },
  { name: 'subject with 4 images', manifest: multi({ subject: 'hero' }, { subjects: subject({ images: images(4) }) }), expect: 'ok' },
  { name: 'subject with 0 images', manifest: multi({ subject: 'hero' }, { subjects: subject({ images: [] }) }), expect: 'too-few-images' },
  { name: 'subject with 5 images', manifest: multi({ subject: 'hero' }, { subjects: subject({ images: images(5) }) }), expect: 'too-many-images' },
  { name: 'subject without images', manifest: multi({ subject: 'hero' }, { subjects: { hero: { type: 'object' } } }), expect: 'required' },
  { name: 'subject name 50', manifest: multi({ subject: 'hero' }, { subjects: subject({ name: text(50) }) }), expect: 'ok' },
  { name: 'subject name 51', manifest: multi({ subject: 'hero' }, { subjects: subject({ name: text(51) }) }), expect: 'length' },
  { name: 'subject name empty', manifest: multi({ subject: 'hero' }, { subjects: subject({ name: '' }) }), expect: 'length' },
  { name: 'subject key of 50 as name', manifest: multi({ subject: text(50) }, { subjects: { [text(50)]: { images: ['a.png'] } } }), expect: 'ok' },
  { name: 'subject key of 51 as name', manifest: multi({ subject: text(51) }, { subjects: { [text(51)]: { images: ['a.png'] } } }), expect: 'length' },
  { name: 'subject key of 51 with a name', manifest: multi({ subject: text(51) }, { subjects: { [text(51)]: { name: 'Hero', images: ['a.png'] } } }), expect: 'ok' },
  { name: 'subject description 500', manifest: multi({ subject: 'hero' }, { subjects: subject({ description: text(500) }) }), expect: 'ok' },
  { name: 'subject description 501', manifest: multi({ subject: 'hero' }, { subjects: subject({ description: text(501) }) }), expect: 'length' },
  { name: 'subject type character', manifest: multi({ subject: 'hero' }, { subjects: subject({ type: 'character' }) }), expect: 'ok' },
  { name: 'subject type object', manifest: multi({ subject: 'hero' }, { subjects: subject({ type: 'object' }) }), expect: 'ok' },
  { name: 'subject type person', manifest: multi({ subject: 'hero' }, { subjects: subject({ type: 'person' }) }), expect: 'enum' },
  // shot ids
  ...['a', '0', 'a_b-1', text(64).replace(/x/g, 'a')].map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 8))} (${id.length})`, manifest: shot('t2v', 'id', id), expect: 'ok' })),
  ...['', 'A', '-a', '_a', 'a b', 'a.b', 'é', 'a'.repeat(65)].map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 8))} (${id.length})`, manifest: shot('t2v', 'id', id), expect: 'invalid-id' })),
  { name: 'id 123 (a number)', manifest: shot('t2v', 'id', 123), expect: 'type' },
  // version and required fields
  { name: 'version 2', manifest: { ...manifestWith(), version: 2 }, expect: 'enum' },
  { name: 'no version', manifest: withField(manifestWith(), 'version', undefined), expect: 'required' },
  { name: 'no shots', manifest: withField(manifestWith(), 'shots', undefined), expect: 'required' },
  { name: 'no shot id', manifest: shot('t2v', 'id', undefined), expect: 'required' },
  { name: 'no mode', manifest: shot('t2v', 'mode', undefined), expect: 'required' },
  { name: 'unknown mode', manifest: shot('t2v', 'mode', 'text2video'), expect: 'enum' },
  { name: 'text-to-video without prompt', manifest: shot('t2v', 'prompt', undefined), expect: 'required' },
  { name: 'text-to-video with prompt_file', manifest: manifestWith({}, [{ id: 'a', mode: 'text-to-video', prompt_file: 'p.md' }]), expect: 'ok' },
  { name: 'multi-image without prompt', manifest: shot('multi', 'prompt', undefined), expect: 'required' },
  { name: 'image-to-video without prompt', manifest: shot('i2v', 'prompt', undefined), expect: 'ok' },
  { name: 'image-to-video without image', manifest: shot('i2v', 'image', undefined), expect: 'required' },
  { name: 'prompt and prompt_file (text)', manifest: shot('t2v', 'prompt_file', 'p.md'), expect: 'conflict' },
  { name: 'prompt and prompt_file (image)', manifest: manifestWith({}, [{ ...SHOTS.i2v, prompt: 'p', prompt_file: 'p.md' }]), expect: 'conflict' },
  { name: 'prompt and prompt_file (multi)', manifest: shot('multi', 'prompt_file', 'p.md'), expect: 'conflict' },
  // fields that belong to one mode, and unknown keys at every level
  { name: 'enable_moderation on image-to-video', manifest: shot('i2v', 'enable_moderation', true), expect: 'ok' },
  { name: 'enable_moderation on text-to-video', manifest: shot('t2v', 'enable_moderation', true), expect: 'unknown-field' },
  { name: 'defaults.enable_moderation with a text shot', manifest: manifestWith({ defaults: { enable_moderation: true } }), expect: 'ok' },
  { name: 'image on text-to-video', manifest: shot('t2v', 'image', 'a.png'), expect: 'unknown-field' },
  { name: 'images on image-to-video', manifest: shot('i2v', 'images', ['a.png']), expect: 'unknown-field' },
  { name: 'subject on image-to-video', manifest: shot('i2v', 'subject', 'hero', { subjects: subject() }), expect: 'unknown-field' },
  { name: 'unknown shot key promt', manifest: shot('t2v', 'promt', 'x'), expect: 'unknown-field' },
  { name: 'unknown top-level key', manifest: manifestWith({ outputs: 'renders' }), expect: 'unknown-field' },
  { name: 'unknown defaults key', manifest: manifestWith({ defaults: { prompt: 'x' } }), expect: 'unknown-field' },
  { name: 'unknown subject key', manifest: multi({ subject: 'hero' }, { subjects: subject({ views: [] }) }), expect: 'unknown-field' },
  // types
  { name: 'generate_audio "yes" (a string)', manifest: shot('t2v', 'generate_audio', 'yes'), expect: 'type' },
  { name: 'enhance_prompt false', manifest: shot('t2v', 'enhance_prompt', false), expect: 'ok' },
  { name: 'shots as a mapping', manifest: { version: 1, shots: { a: SHOTS.t2v } }, expect: 'type' },
  { name: 'output empty', manifest: manifestWith({ output: '' }), expect: 'length' },
];

describe('manifest limits', () => {
  it.each(cases)('$name → $expect', ({ manifest, expect: expected }) => {
    const codes = errorCodes(load(manifest));
    expect(codes).toEqual(expected === 'ok' ? [] : [expected]);
  });
});
