import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createOtio } from '../../../src/cut/create-otio.js';

// The OpenTimelineIO timeline is written by hand; these tests hold it to a JSON Schema of the OTIO
// objects it uses (otio.schema.json beside this file) and check what editors read from it.

const schema = JSON.parse(readFileSync(new URL('./otio.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

const timeline = {
  name: 'The Film',
  film: 'renders/The Film.mp4',
  clips: [
    { id: 'opening', prompt: 'A sunset "over" the <ocean>', seed: 42, output: 'renders/opening.mp4', targetUrl: 'file:///p/renders/opening.mp4', fps: 24, frameCount: 144 },
    { id: 'castle', prompt: null, seed: 7, output: 'renders/castle.mp4', targetUrl: 'file:///p/renders/castle.mp4', fps: 30, frameCount: 60 },
  ],
};

describe('createOtio', () => {
  it('is valid against the schema of the OTIO fields it uses', () => {
    const document = JSON.parse(createOtio(timeline));
    expect(validate(document), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema catches a wrong document (it is not vacuous)', () => {
    const document = JSON.parse(createOtio(timeline));
    document.tracks.children[0].children[0].OTIO_SCHEMA = 'Clip.1';
    expect(validate(document)).toBe(false);
    const noUrl = JSON.parse(createOtio(timeline));
    delete noUrl.tracks.children[0].children[1].media_references.DEFAULT_MEDIA.target_url;
    expect(validate(noUrl)).toBe(false);
  });

  it('has one video track with one clip per shot, in order, each with its range, file and metadata', () => {
    const document = JSON.parse(createOtio(timeline));
    expect(document.name).toBe('The Film');
    expect(document.tracks.children).toHaveLength(1);
    const track = document.tracks.children[0];
    expect(track.kind).toBe('Video');
    expect(track.children.map((clip: { name: string }) => clip.name)).toEqual(['opening', 'castle']);
    const [opening, castle] = track.children;
    expect(opening.source_range).toEqual({
      OTIO_SCHEMA: 'TimeRange.1',
      start_time: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 0 },
      duration: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 144 },
    });
    expect(opening.active_media_reference_key).toBe('DEFAULT_MEDIA');
    expect(opening.media_references.DEFAULT_MEDIA.target_url).toBe('file:///p/renders/opening.mp4');
    expect(opening.media_references.DEFAULT_MEDIA.available_range).toEqual(opening.source_range);
    expect(opening.metadata).toEqual({ bach_render: { id: 'opening', prompt: 'A sunset "over" the <ocean>', seed: 42, output: 'renders/opening.mp4' } });
    expect(castle.source_range.duration).toEqual({ OTIO_SCHEMA: 'RationalTime.1', rate: 30, value: 60 });
  });
});
