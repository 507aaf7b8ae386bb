import { describe, expect, it } from 'vitest';
import { createManifestFromText } from '../../../src/manifest/from-text.js';
import { listLocalFiles, listLocalImages } from '../../../src/manifest/list-local-files.js';
import { load, manifestWith, messages } from './helpers.js';

const manifest = (text: string) => createManifestFromText(text, { root: '/project' }).manifest;

describe('resolveManifest', () => {
  it('applies the built-in defaults', () => {
    const { shots, output, file, root } = manifest('version: 1\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: A sunset\n');
    expect({ output, file, root }).toEqual({ output: 'renders', file: '/project/bach.yaml', root: '/project' });
    expect(shots).toEqual([
      {
        id: 'a',
        index: 0,
        mode: 'text-to-video',
        model: 'bach-1.0-preview',
        prompt: { kind: 'text', text: 'A sunset' },
        generateAudio: false,
        enhancePrompt: true,
        cfgScale: 5,
        resolution: '1080p',
        aspectRatio: '16:9',
        duration: 6,
        fps: 24,
        pos: { line: 3, col: 5 },
      },
    ]);
  });

  it('keeps remote: as written, with its position (the remote settings resolve it)', () => {
    const text = 'version: 1\nremote: s3://team-videos/film\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: A sunset\n';
    expect(manifest(text).remote).toEqual({ url: 's3://team-videos/film', pos: { line: 2, col: 9 } });
    expect(manifest('version: 1\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: A sunset\n').remote).toBeUndefined();
    expect(messages(load(manifestWith({ remote: 7 })))).toEqual(['2:9 type: remote: expected text, got 7']);
    expect(messages(load(manifestWith({ remote: '' })))).toEqual(['2:9 length: remote: must not be empty']);
  });

  it('lets defaults: override the built-in defaults and a shot override defaults:', () => {
    const { shots } = manifest(`version: 1
defaults:
  resolution: 720p
  aspect_ratio: "9:16"
  negative_prompt: blurry
  audio_prompt: waves
  generate_audio: true
  enhance_prompt: false
  cfg_scale: 7.5
  enable_moderation: true
  duration: 3
shots:
  - id: a
    mode: image-to-video
    image: a.png
  - id: b
    mode: image-to-video
    image: b.png
    resolution: 1080p
    negative_prompt: ""
    duration: 1
    enable_moderation: false
  - id: c
    mode: multi-image-to-video
    prompt: p
    images: [c.png]
`);
    expect(shots.map((s) => [s.id, s.resolution, s.aspectRatio, s.negativePrompt, s.audioPrompt, s.generateAudio, s.enhancePrompt, s.cfgScale, s.duration, s.enableModeration])).toEqual([
      ['a', '720p', '9:16', 'blurry', 'waves', true, false, 7.5, 3, true],
      ['b', '1080p', '9:16', undefined, 'waves', true, false, 7.5, 1, false],
      ['c', '720p', '9:16', 'blurry', 'waves', true, false, 7.5, 3, undefined],
    ]);
  });

  it('gives each mode its default duration and image-to-video its moderation default', () => {
    const { shots } = manifest(`version: 1
shots:
  - {id: t, mode: text-to-video, prompt: p}
  - {id: i, mode: image-to-video, image: a.png}
  - {id: m, mode: multi-image-to-video, prompt: p, images: [a.png]}
`);
    expect(shots.map((s) => [s.duration, s.enableModeration])).toEqual([[6, undefined], [5, false], [5, undefined]]);
  });

  it('resolves subjects, images, prompt files and seeds', () => {
    const { shots } = manifest(`version: 1
subjects:
  hero:
    type: object
    description: A lamp
    images: [./refs//front.png, "https://example.com/side.png"]
  plain:
    images: [refs/p.png]
shots:
  - id: a
    mode: multi-image-to-video
    prompt_file: prompts\\a.md
    subject: hero
    seed: 9
  - id: b
    mode: multi-image-to-video
    prompt: p
    images: [frames/a.png, refs/front.png]
    subject: plain
`);
    expect(shots[0]).toMatchObject({
      prompt: { kind: 'file', path: 'prompts/a.md' },
      images: [],
      seed: 9,
      subject: {
        key: 'hero',
        name: 'hero',
        type: 'object',
        description: 'A lamp',
        images: [{ kind: 'file', path: 'refs/front.png' }, { kind: 'url', url: 'https://example.com/side.png' }],
      },
    });
    expect(shots[1]!.subject).toEqual({ key: 'plain', name: 'plain', type: 'character', images: [{ kind: 'file', path: 'refs/p.png' }] });
    expect(shots[1]!.seed).toBeUndefined();
  });

  it('normalises the output folder', () => {
    expect(manifest('version: 1\noutput: ./out//videos/\nshots: []\n').output).toBe('out/videos');
  });
});

describe('listLocalFiles', () => {
  const text = `version: 1
subjects:
  hero: {images: [refs/b.png, "https://example.com/x.png"]}
  unused: {images: [refs/unused.png]}
shots:
  - {id: a, mode: image-to-video, image: ./frames/z.png, prompt_file: prompts/a.md}
  - {id: b, mode: multi-image-to-video, prompt: p, images: [frames/z.png, frames/a.png], subject: hero}
  - {id: c, mode: text-to-video, prompt_file: prompts/a.md}
`;
  it('lists every local file once, sorted', () => {
    expect(listLocalFiles(manifest(text))).toEqual(['frames/a.png', 'frames/z.png', 'prompts/a.md', 'refs/b.png']);
  });
  it('lists the local images', () => {
    expect(listLocalImages(manifest(text))).toEqual(['frames/a.png', 'frames/z.png', 'refs/b.png']);
  });
});
