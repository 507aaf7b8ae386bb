import { describe, expect, it } from 'vitest';
import { computeFrameCount, createMp4, hasMp4Signature, parseMp4 } from '../../../src/video/index.js';
import { findBoxAt } from './mp4-test-utils.js';

// The emulator's output sizes (bach-api.md, "Output frame size"): 720p and 1080p at 16:9, 9:16, 1:1.
export const RESULT_SIZES: readonly [number, number][] = [
  [1280, 720], [720, 1280], [720, 720],
  [1920, 1080], [1080, 1920], [1080, 1080],
];

describe('createMp4', () => {
  it.each(RESULT_SIZES)('%ix%i parses back with the requested size, rate and duration', (width, height) => {
    for (const durationSeconds of [1, 2, 5, 6]) {
      const info = parseMp4(createMp4({ width, height, fps: 24, durationSeconds, tag: 'task-1' }));
      expect(info).toEqual({
        width,
        height,
        fps: 24,
        durationSeconds,
        frameCount: 24 * durationSeconds,
        codec: 'avc1',
        codecString: expect.stringMatching(/^avc1\.42C0[0-9A-F]{2}$/),
        profile: 66,
        level: width * height > 1280 * 720 ? (width === height ? 3.2 : 4) : 3.1,
        brands: ['isom', 'iso2', 'avc1', 'mp41'],
        tag: 'task-1',
      });
    }
  });

  it('rounds fractional durations to whole frames', () => {
    expect(computeFrameCount(24, 2.5)).toBe(60);
    expect(computeFrameCount(24, 0.1)).toBe(2); // 2.4 frames
    expect(computeFrameCount(30, 1 / 3)).toBe(10);
    const info = parseMp4(createMp4({ width: 1280, height: 720, fps: 24, durationSeconds: 2.25 }));
    expect(info).toMatchObject({ frameCount: 54, durationSeconds: 2.25, fps: 24 });
    expect(parseMp4(createMp4({ width: 720, height: 720, fps: 24, durationSeconds: 0.1 }))).toMatchObject({ frameCount: 2, durationSeconds: 2 / 24 });
  });

  it('supports other whole frame rates and long clips (frame_num wraps at 256)', () => {
    expect(parseMp4(createMp4({ width: 640, height: 360, fps: 30, durationSeconds: 3 }))).toMatchObject({ fps: 30, frameCount: 90, durationSeconds: 3 });
    expect(parseMp4(createMp4({ width: 320, height: 240, fps: 60, durationSeconds: 20 }))).toMatchObject({ fps: 60, frameCount: 1200, durationSeconds: 20 });
  });

  it('gives different bytes for different tags, and the same video', () => {
    const options = { width: 1920, height: 1080, fps: 24, durationSeconds: 6 };
    const a = createMp4({ ...options, tag: 'a1b2c3' });
    const b = createMp4({ ...options, tag: 'd4e5f6' });
    const untagged = createMp4(options);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const { tag: tagA, ...infoA } = parseMp4(a);
    const { tag: tagB, ...infoB } = parseMp4(b);
    expect([tagA, tagB]).toEqual(['a1b2c3', 'd4e5f6']);
    expect(infoA).toEqual(infoB);
    expect(parseMp4(untagged)).toEqual(infoA);
    // Everything up to the end of mdat is shared: the pictures are byte-identical.
    const mdatEnd = findBoxAt(a, 'mdat').end;
    expect(mdatEnd).toBe(untagged.length);
    expect(Buffer.from(a.subarray(0, mdatEnd)).equals(Buffer.from(untagged))).toBe(true);
    expect(Buffer.from(b.subarray(0, mdatEnd)).equals(Buffer.from(untagged))).toBe(true);
  });

  it('lays the file out for fast start: ftyp, moov, mdat, then the tag box', () => {
    const bytes = createMp4({ width: 720, height: 1280, fps: 24, durationSeconds: 5, tag: 'x' });
    expect(hasMp4Signature(bytes)).toBe(true);
    const order = ['ftyp', 'moov', 'mdat', 'uuid'].map((type) => findBoxAt(bytes, type).start);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(findBoxAt(bytes, 'moov/trak/tkhd')).toBeDefined();
    expect(findBoxAt(bytes, 'moov/trak/mdia/minf/stbl/stsd/avc1/avcC')).toBeDefined();
  });

  it('returns a fresh array each call, so callers cannot corrupt the cache', () => {
    const options = { width: 720, height: 720, fps: 24, durationSeconds: 1 };
    const first = createMp4(options);
    const copy = first.slice();
    first.fill(0);
    expect(createMp4(options)).toEqual(copy);
  });

  it('shows the card: another card gives other pictures, the same card the same bytes', () => {
    const options = { width: 1280, height: 720, fps: 24, durationSeconds: 2 };
    const card = { key: 'fingerprint-a', title: 'A sunset over the ocean', lines: ['seed 1'] };
    const a = createMp4({ ...options, card });
    const again = createMp4({ ...options, card: { ...card } });
    const otherSeed = createMp4({ ...options, card: { ...card, key: 'fingerprint-b', lines: ['seed 2'] } });
    const otherPrompt = createMp4({ ...options, card: { ...card, key: 'fingerprint-c', title: 'A forest at night' } });
    expect(Buffer.from(again).equals(Buffer.from(a))).toBe(true);
    const mdat = (bytes: Uint8Array) => Buffer.from(bytes.subarray(findBoxAt(bytes, 'mdat').start));
    expect(mdat(otherSeed).equals(mdat(a))).toBe(false);
    expect(mdat(otherPrompt).equals(mdat(a))).toBe(false);
    for (const bytes of [a, otherSeed, otherPrompt]) expect(parseMp4(bytes)).toMatchObject({ width: 1280, height: 720, frameCount: 48, fps: 24 });
  });

  it('rejects impossible requests with clear messages', () => {
    const base = { width: 1280, height: 720, fps: 24, durationSeconds: 6 };
    expect(() => createMp4({ ...base, width: 1281 })).toThrow(/even/);
    expect(() => createMp4({ ...base, fps: 23.976 })).toThrow(/fps must be a whole number/);
    expect(() => createMp4({ ...base, fps: 0 })).toThrow(/fps must be a whole number/);
    expect(() => createMp4({ ...base, durationSeconds: 0 })).toThrow(/durationSeconds must be a positive number/);
    expect(() => createMp4({ ...base, durationSeconds: Number.NaN })).toThrow(/durationSeconds/);
    expect(() => createMp4({ ...base, durationSeconds: 0.01 })).toThrow(/less than one frame/);
    expect(() => createMp4({ ...base, width: 16384, height: 16384 })).toThrow(/exceeds every H.264 level/);
  });
});
