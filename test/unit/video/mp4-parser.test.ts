import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BachError } from '../../../src/errors.js';
import { createMp4, hasMp4Signature, Mp4FormatError, parseMp4 } from '../../../src/video/index.js';
import { findBoxAt, moveMoovToEnd, readU32, STBL, writeU32 } from './mp4-test-utils.js';

const VIDEO = { width: 1920, height: 1080, fps: 24, durationSeconds: 2, tag: 't' };

function damaged(change: (bytes: Uint8Array) => void): Uint8Array {
  const bytes = createMp4(VIDEO);
  change(bytes);
  return bytes;
}

describe('parseMp4 on files from other muxers', () => {
  it('reads moov after mdat', () => {
    const original = createMp4(VIDEO);
    const moved = moveMoovToEnd(original);
    expect(findBoxAt(moved, 'moov').start).toBeGreaterThan(findBoxAt(moved, 'mdat').start);
    expect(parseMp4(moved)).toEqual(parseMp4(original));
  });

  it('reads an x264 High-profile file (moov at end, edts, ctts, B-frames, 30000/1001 fps, cropped 100x60)', () => {
    // Made with: ffmpeg -f lavfi -i testsrc=size=100x60:rate=30000/1001 -t 0.5 -c:v libx264
    //   -preset veryfast -pix_fmt yuv420p -fflags +bitexact -map_metadata -1
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/x264-high-100x60-ntsc.mp4', import.meta.url)));
    const info = parseMp4(bytes);
    expect(info).toMatchObject({ width: 100, height: 60, frameCount: 15, codec: 'avc1', profile: 100, codecString: 'avc1.64000A' });
    expect(info.fps).toBeCloseTo(30000 / 1001, 9);
    expect(info.durationSeconds).toBeCloseTo(0.5005, 6);
    expect(info.tag).toBeUndefined();
    expect(hasMp4Signature(bytes)).toBe(true);
  });
});

describe('parseMp4 on malformed input', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['empty input', () => new Uint8Array(0), /too short/],
    ['text', () => new TextEncoder().encode('<html>404 Not Found</html>'), /Invalid MP4/],
    ['no ftyp', () => createMp4(VIDEO).subarray(findBoxAt(createMp4(VIDEO), 'moov').start), /no top-level 'ftyp'/],
    ['a file cut inside mdat', () => createMp4(VIDEO).subarray(0, 2000), /'mdat' at offset \d+ declares \d+ bytes but only \d+ remain/],
    ['a file cut after moov', () => { const bytes = createMp4(VIDEO); return bytes.subarray(0, findBoxAt(bytes, 'mdat').start); }, /sample 1 ends at byte \d+, past the end/],
    ['a box larger than its parent', () => damaged((b) => writeU32(b, findBoxAt(b, 'moov/trak').start, 0x7fffffff)), /'moov\/trak' at offset \d+ declares/],
    ['a box size below its header', () => damaged((b) => writeU32(b, findBoxAt(b, 'moov/trak/tkhd').start, 3)), /impossible size 3/],
    ['another codec', () => damaged((b) => b.set(new TextEncoder().encode('hvc1'), findBoxAt(b, `${STBL}/stsd/avc1`).start + 4)), /codec is 'hvc1', expected H.264/],
    ['no avcC', () => damaged((b) => b.set(new TextEncoder().encode('xxxx'), findBoxAt(b, `${STBL}/stsd/avc1/avcC`).start + 4)), /has no 'avcC'/],
    ['a broken SPS', () => damaged((b) => { const avcC = findBoxAt(b, `${STBL}/stsd/avc1/avcC`); b[avcC.payloadStart + 8] = 0x68; }), /sequence parameter set .* malformed: NAL unit type 8 is not an SPS/],
    ['timescale 0', () => damaged((b) => writeU32(b, findBoxAt(b, 'moov/trak/mdia/mdhd').payloadStart + 12, 0)), /timescale 0/],
    ['stsz and stts disagreeing', () => damaged((b) => { const stsz = findBoxAt(b, `${STBL}/stsz`); writeU32(b, stsz.payloadStart + 8, 47); }), /'stsz' lists 47 samples but 'stts' times 48/],
    ['an stts count beyond its box', () => damaged((b) => writeU32(b, findBoxAt(b, `${STBL}/stts`).payloadStart + 4, 1e6)), /claims 1000000 entries/],
    ['a chunk offset past the end', () => damaged((b) => writeU32(b, findBoxAt(b, `${STBL}/stco`).payloadStart + 8, b.length - 4)), /sample 1 ends at byte/],
    ['sample data that is not NAL units', () => damaged((b) => writeU32(b, findBoxAt(b, 'mdat').payloadStart, 0)), /NAL unit of impossible length 0/],
    ['no video track', () => damaged((b) => b.set(new TextEncoder().encode('soun'), findBoxAt(b, 'moov/trak/mdia/hdlr').payloadStart + 8)), /no video track/],
  ];

  it.each(cases)('rejects %s', (_name, make, message) => {
    const bytes = make();
    expect(() => parseMp4(bytes)).toThrow(message);
    expect(() => parseMp4(bytes)).toThrow(Mp4FormatError);
  });

  it('throws a BachError with a code, printable without a stack', () => {
    try {
      parseMp4(new Uint8Array(3));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BachError);
      expect((error as BachError).code).toBe('invalid-mp4');
      expect((error as Error).message).toBe('Invalid MP4: only 3 bytes, too short for any box');
    }
  });

  it('sanity: the untouched file parses and its stco points into mdat', () => {
    const bytes = createMp4(VIDEO);
    const stco = findBoxAt(bytes, `${STBL}/stco`);
    expect(readU32(bytes, stco.payloadStart + 8)).toBe(findBoxAt(bytes, 'mdat').payloadStart);
    expect(parseMp4(bytes).frameCount).toBe(48);
  });
});

describe('hasMp4Signature', () => {
  it('recognises an ftyp box at offset 4', () => {
    expect(hasMp4Signature(createMp4(VIDEO).subarray(0, 12))).toBe(true);
    expect(hasMp4Signature(Uint8Array.of(0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70))).toBe(true);
  });

  it('rejects everything else', () => {
    expect(hasMp4Signature(new Uint8Array(0))).toBe(false);
    expect(hasMp4Signature(new TextEncoder().encode('{"code":500}'))).toBe(false);
    expect(hasMp4Signature(Uint8Array.of(0, 0, 0, 4, 0x66, 0x74, 0x79, 0x70))).toBe(false); // size too small
    expect(hasMp4Signature(Uint8Array.of(0, 0, 0, 0x20, 0x6d, 0x6f, 0x6f, 0x76))).toBe(false); // moov first
  });
});
