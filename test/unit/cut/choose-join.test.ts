import { describe, expect, it } from 'vitest';
import { chooseJoin, type ProbedClip } from '../../../src/cut/choose-join.js';
import type { ClipInfo } from '../../../src/cut/probe-clip.js';

// Copy when the shots share their codec parameters; in-band parameter sets when only H.264's SPS/PPS
// differ; otherwise re-encode, to the frame size and rate that cover most of the film.

const avcc = (level: number) => Uint8Array.of(1, 0x42, 0xc0, level, 0xff, 0xe1, 0, 2, 0x67, level, 1, 0, 2, 0x68, 0xce);

function clip(id: string, overrides: Partial<ClipInfo> = {}): ProbedClip {
  return {
    id,
    info: {
      codec: 'avc', codecString: 'avc1.42C01F', description: avcc(31), width: 1280, height: 720, codedWidth: 1280, codedHeight: 720,
      start: 0, duration: 2, frameCount: 48, fps: 24, startsWithKeyFrame: true, audio: null, ...overrides,
    },
  };
}

describe('chooseJoin', () => {
  it('copies shots with identical parameters as they are', () => {
    expect(chooseJoin([clip('a'), clip('b'), clip('c')])).toEqual({ method: 'copy', inBandParameterSets: false });
  });

  it('copies H.264 shots whose parameter sets differ with the sets in-band', () => {
    expect(chooseJoin([clip('a'), clip('b', { description: avcc(40), fps: 30 })])).toEqual({ method: 'copy', inBandParameterSets: true });
  });

  it('re-encodes shots of different sizes to the size covering most seconds (padded, not stretched)', () => {
    const plan = chooseJoin([clip('a', { duration: 2 }), clip('b', { width: 720, height: 1280, duration: 5, fps: 30 }), clip('c', { duration: 2 })]);
    expect(plan).toEqual({
      method: 're-encode',
      differences: ['frame sizes differ: a, c 1280×720; b 720×1280'],
      width: 720,
      height: 1280,
      fps: 30,
      audio: false,
    });
  });

  it('a tie goes to the earliest shot', () => {
    const plan = chooseJoin([clip('a', { width: 1920, height: 1080 }), clip('b')]);
    expect(plan).toMatchObject({ method: 're-encode', width: 1920, height: 1080 });
  });

  it('re-encodes for audio, another codec, or a shot not starting on a key frame — and says why', () => {
    expect(chooseJoin([clip('a'), clip('b', { audio: { codec: 'aac' } })])).toMatchObject({
      method: 're-encode',
      audio: true,
      differences: ['b carries audio (aac), which is joined only by re-encoding'],
    });
    expect(chooseJoin([clip('a'), clip('b', { codec: 'hevc' })])).toMatchObject({ differences: ['codecs differ: a H.264; b hevc'] });
    expect(chooseJoin([clip('a', { startsWithKeyFrame: false })])).toMatchObject({ differences: ['a does not start with a key frame'] });
    const vp9 = { codec: 'vp9', codecString: 'vp09.00.10.08' };
    expect(chooseJoin([clip('a', { ...vp9, description: null }), clip('b', { ...vp9, description: Uint8Array.of(1) })])).toMatchObject({
      method: 're-encode',
      differences: ['decoder configurations differ and the codec is not H.264'],
    });
  });
});
