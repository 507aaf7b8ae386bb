import { describe, expect, it } from 'vitest';
import { validateCreateBody, type CreateBody, type Endpoint } from '../../../src/emulator/validate-create.js';

// Every parameter message of bach-api.md Part 1, verbatim, and the order in which they are checked.

const URL_A = 'https://cdn.example.com/a.png';
const valid: Record<Endpoint, CreateBody> = {
  text2video: { model_name: 'bach-1.0-preview', prompt: 'A sunset', resolution: '720p', duration: 6 },
  image2video: { model_name: 'bach-1.0-preview', image_url: URL_A, resolution: '1080p', duration: 3 },
  multi2video: { model_name: 'bach-1.0-preview', prompt: 'Hero walks', image_url: [URL_A], resolution: '720p', duration: 5 },
};

function check(endpoint: Endpoint, change: (body: CreateBody) => void): string | null {
  const body = structuredClone(valid[endpoint]);
  change(body);
  return validateCreateBody(body, endpoint);
}

/** The general rules, in check order: what breaks each (one field each) and its message. */
const GENERAL: { field: string; break: (b: CreateBody) => void; message: string }[] = [
  { field: 'model_name', break: (b) => delete b.model_name, message: 'Model name is required.' },
  { field: 'prompt', break: (b) => delete b.prompt, message: 'Prompt is required.' },
  { field: 'prompt', break: (b) => (b.prompt = 'p'.repeat(10_001)), message: 'The prompt length must not exceed 10000 characters.' },
  { field: 'negative_prompt', break: (b) => (b.negative_prompt = 'n'.repeat(10_001)), message: 'The negative prompt length must not exceed 10000 characters.' },
  { field: 'audio_prompt', break: (b) => (b.audio_prompt = 'a'.repeat(201)), message: 'The audio prompt length must not exceed 200 characters.' },
  { field: 'duration', break: (b) => (b.duration = 5), message: 'Duration must be 6 seconds.' },
  { field: 'resolution', break: (b) => (b.resolution = '720P'), message: 'Resolution must be 720p or 1080p.' },
  { field: 'aspect_ratio', break: (b) => (b.aspect_ratio = '4:3'), message: 'Aspect ratio must be 16:9, 9:16, or 1:1.' },
  { field: 'seed', break: (b) => (b.seed = 10_000_001), message: 'Seed must be between 0 and 10000000.' },
  { field: 'callback_url', break: (b) => (b.callback_url = `http://127.0.0.1/${'c'.repeat(490)}`), message: 'The callback url length must not exceed 500 characters.' },
];

describe('validateCreateBody: general rules', () => {
  it('accepts the valid body of each mode', () => {
    for (const endpoint of Object.keys(valid) as Endpoint[]) expect(validateCreateBody(valid[endpoint], endpoint)).toBeNull();
  });

  it.each(GENERAL.map((rule) => [rule.message, rule] as const))('%s', (_message, rule) => {
    expect(check('text2video', rule.break)).toBe(rule.message);
  });

  it('reports the first failing rule when several fail', () => {
    for (const [index, rule] of GENERAL.entries()) {
      const message = check('text2video', (body) => {
        const broken = new Set<string>();
        for (const later of GENERAL.slice(index)) {
          if (broken.has(later.field)) continue; // one change per field
          later.break(body);
          broken.add(later.field);
        }
      });
      expect(message, `rules ${index + 1}.. broken`).toBe(rule.message);
    }
  });

  it('treats empty, unknown and non-string model names as missing', () => {
    for (const model of ['', 'bach-2.0', 7, null]) expect(check('text2video', (b) => (b.model_name = model))).toBe('Model name is required.');
  });

  it('treats a blank or non-string prompt as missing; image2video does not need one', () => {
    expect(check('text2video', (b) => (b.prompt = '   '))).toBe('Prompt is required.');
    expect(check('text2video', (b) => (b.prompt = 42))).toBe('Prompt is required.');
    expect(check('image2video', (b) => delete b.prompt)).toBeNull();
    expect(check('image2video', (b) => (b.prompt = 42))).toBe('The prompt length must not exceed 10000 characters.');
  });

  it('counts code points, and accepts the limits exactly', () => {
    expect(check('text2video', (b) => (b.prompt = '😀'.repeat(10_000)))).toBeNull();
    expect(check('text2video', (b) => (b.negative_prompt = 'n'.repeat(10_000)))).toBeNull();
    expect(check('text2video', (b) => (b.audio_prompt = 'a'.repeat(200)))).toBeNull();
    expect(check('text2video', (b) => (b.callback_url = `http://h/${'c'.repeat(491)}`))).toBeNull();
  });

  it('applies the durations of each mode, integers only', () => {
    for (const duration of [6]) expect(check('text2video', (b) => (b.duration = duration))).toBeNull();
    for (const duration of [1, 7, '6', 6.5, null]) expect(check('text2video', (b) => (b.duration = duration))).toBe('Duration must be 6 seconds.');
    for (const duration of [1, 2, 3, 4, 5]) expect(check('image2video', (b) => (b.duration = duration))).toBeNull();
    for (const duration of [0, 6, 2.5, '3']) {
      expect(check('image2video', (b) => (b.duration = duration))).toBe('Duration must be between 1 and 5 seconds.');
      expect(check('multi2video', (b) => (b.duration = duration))).toBe('Duration must be between 1 and 5 seconds.');
    }
  });

  it('checks optional fields only when present (null is absent)', () => {
    expect(check('text2video', (b) => Object.assign(b, { aspect_ratio: null, seed: null, negative_prompt: null }))).toBeNull();
    for (const ratio of ['16:9', '9:16', '1:1']) expect(check('text2video', (b) => (b.aspect_ratio = ratio))).toBeNull();
    for (const seed of [0, 10_000_000]) expect(check('text2video', (b) => (b.seed = seed))).toBeNull();
    for (const seed of [-1, 1.5, '42']) expect(check('text2video', (b) => (b.seed = seed))).toBe('Seed must be between 0 and 10000000.');
  });

  it('requires a valid http(s) image_url for image2video', () => {
    const message = 'Image URL must be a valid HTTP or HTTPS URL';
    for (const url of [undefined, '', 'ftp://example.com/a.png', 'example.com/a.png', ' https://example.com/a.png', 42]) {
      expect(check('image2video', (b) => (b.image_url = url))).toBe(message);
    }
    expect(check('image2video', (b) => (b.image_url = 'http://127.0.0.1:8787/cdn/uploads/x.png'))).toBeNull();
  });

  it('ignores unknown fields', () => {
    expect(check('text2video', (b) => Object.assign(b, { frobnicate: true, reference_inputs: 'x' }))).toBeNull();
  });
});

describe('validateCreateBody: multi-image rules', () => {
  const cases: [string, (b: CreateBody) => void, string][] = [
    ['prompt missing', (b) => delete b.prompt, 'Name is required.'],
    ['image_url missing', (b) => delete b.image_url, 'Image URL is required.'],
    ['image_url not a list', (b) => (b.image_url = URL_A), 'Image URL is required.'],
    ['image_url empty', (b) => (b.image_url = []), 'Image URL cannot be empty.'],
    ['ten elements', (b) => (b.image_url = Array(10).fill(URL_A)), 'Image URL list cannot exceed 9 elements.'],
    ['a null element', (b) => (b.image_url = [URL_A, null]), 'Image URL list element at index 1 cannot be null.'],
    ['an empty string', (b) => (b.image_url = [URL_A, '']), 'Image URL at index 1 cannot be empty.'],
    ['an empty nested list', (b) => (b.image_url = [URL_A, []]), 'URL array at index 1 cannot be empty.'],
    ['five nested URLs', (b) => (b.image_url = [Array(5).fill(URL_A)]), 'URL array at index 0 cannot exceed 4 URLs.'],
    ['a nested non-string', (b) => (b.image_url = [[URL_A, 5]]), 'URL array at index 0 contains non-string element at position 1.'],
    ['a nested empty string', (b) => (b.image_url = [[URL_A, '']]), 'URL in array at index 0, position 1 cannot be empty.'],
    ['a number element', (b) => (b.image_url = [URL_A, 5]), 'Image URL list element at index 1 must be either a string URL or a URL array.'],
    ['an object element', (b) => (b.image_url = [{ url: URL_A }]), 'Image URL list element at index 0 must be either a string URL or a URL array.'],
    ['a subject without a name', (b) => (b.image_url = [[URL_A], URL_A]), 'Subject name is required.'],
    ['a subject name of 51', (b) => Object.assign(b, { image_url: [[URL_A]], subject_name: 'n'.repeat(51) }), 'The name length must not exceed 50 characters.'],
    ['a subject desc of 501', (b) => Object.assign(b, { image_url: [[URL_A]], subject_name: 'Hero', subject_desc: 'd'.repeat(501) }), 'The desc length must not exceed 500 characters.'],
    ['an unknown subject type', (b) => Object.assign(b, { image_url: [[URL_A]], subject_name: 'Hero', subject_type: 'animal' }), "Subject type must be either 'character' or 'object'"],
    ['an invalid URL (general rule first)', (b) => (b.image_url = [URL_A, 'ftp://x/a.png', null]), 'Image URL must be a valid HTTP or HTTPS URL'],
    ['an invalid nested URL', (b) => (b.image_url = [['not a url']]), 'Image URL must be a valid HTTP or HTTPS URL'],
    ['general rules before multi rules', (b) => Object.assign(b, { image_url: [], resolution: '4k' }), 'Resolution must be 720p or 1080p.'],
  ];

  it.each(cases)('%s', (_name, change, message) => {
    expect(check('multi2video', change)).toBe(message);
  });

  it('checks rule by rule over all elements (a later null before an earlier empty string)', () => {
    expect(check('multi2video', (b) => (b.image_url = ['', null]))).toBe('Image URL list element at index 1 cannot be null.');
  });

  it('accepts a subject with 4 views plus 8 references, and ignores subject fields without a subject', () => {
    expect(check('multi2video', (b) => Object.assign(b, { image_url: [Array(4).fill(URL_A), ...Array(8).fill(URL_A)], subject_name: 'Hero', subject_desc: 'd'.repeat(500), subject_type: 'object' }))).toBeNull();
    expect(check('multi2video', (b) => Object.assign(b, { subject_name: 'n'.repeat(80), subject_type: 'animal' }))).toBeNull();
  });
});

describe('validateCreateBody: emulator-only rules (after every documented one)', () => {
  it('requires fps 24 and cfg_scale 1.0–15.0 when given', () => {
    expect(check('text2video', (b) => (b.fps = 24))).toBeNull();
    expect(check('text2video', (b) => (b.fps = 30))).toBe('Fps must be 24.');
    expect(check('text2video', (b) => (b.cfg_scale = 15))).toBeNull();
    expect(check('text2video', (b) => (b.cfg_scale = 0.5))).toBe('Cfg scale must be between 1.0 and 15.0.');
    expect(check('multi2video', (b) => Object.assign(b, { fps: 30, image_url: [URL_A, null] }))).toBe('Image URL list element at index 1 cannot be null.');
  });
});
