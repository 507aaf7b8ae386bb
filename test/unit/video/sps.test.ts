import { describe, expect, it } from 'vitest';
import { chooseLevelIdc } from '../../../src/video/h264-level.js';
import { createFrameGeometry, createSpsNal } from '../../../src/video/h264-params.js';
import { computeCropUnits, parseSps } from '../../../src/video/sps-parser.js';

const SIZES: [number, number][] = [[1280, 720], [720, 1280], [720, 720], [1920, 1080], [1080, 1920], [1080, 1080]];

describe('frame geometry and SPS cropping', () => {
  it('codes 1080 as 68 macroblock rows (1088) cropped by 4 units of 2 rows', () => {
    expect(createFrameGeometry(1920, 1080)).toEqual({ width: 1920, height: 1080, widthMbs: 120, heightMbs: 68, cropRight: 0, cropBottom: 4 });
    expect(createFrameGeometry(1080, 1920)).toMatchObject({ widthMbs: 68, heightMbs: 120, cropRight: 4, cropBottom: 0 });
    expect(createFrameGeometry(1280, 720)).toMatchObject({ widthMbs: 80, heightMbs: 45, cropRight: 0, cropBottom: 0 });
  });

  it('uses 2x2 crop units for 4:2:0 frames (eq. 7-19/7-20) and the other chroma formats', () => {
    expect(computeCropUnits(1, true)).toEqual([2, 2]);
    expect(computeCropUnits(1, false)).toEqual([2, 4]);
    expect(computeCropUnits(2, true)).toEqual([2, 1]);
    expect(computeCropUnits(3, true)).toEqual([1, 1]);
    expect(computeCropUnits(0, false)).toEqual([1, 2]);
  });

  it.each(SIZES)('writes an SPS that decodes back to %ix%i', (width, height) => {
    const geometry = createFrameGeometry(width, height);
    const sps = parseSps(createSpsNal(geometry, 24, chooseLevelIdc(geometry.widthMbs, geometry.heightMbs, 24)));
    expect(sps).toMatchObject({ profileIdc: 66, constraintFlags: 0xc0, chromaFormatIdc: 1, frameMbsOnly: true, width, height });
    expect(sps.codedWidth).toBe(Math.ceil(width / 16) * 16);
    expect(sps.codedHeight).toBe(Math.ceil(height / 16) * 16);
  });

  it('crops 1920x1088 to 1920x1080', () => {
    const sps = parseSps(createSpsNal(createFrameGeometry(1920, 1080), 24, 40));
    expect(sps).toMatchObject({ codedWidth: 1920, codedHeight: 1088, crop: { left: 0, right: 0, top: 0, bottom: 8 }, width: 1920, height: 1080, levelIdc: 40 });
  });

  it('handles any even size, including ones that crop both ways', () => {
    for (const [width, height] of [[2, 2], [98, 50], [642, 362], [4096, 2160]] as const) {
      const geometry = createFrameGeometry(width, height);
      expect(parseSps(createSpsNal(geometry, 24, 52))).toMatchObject({ width, height });
    }
  });

  it('rejects odd and non-positive sizes', () => {
    expect(() => createFrameGeometry(1921, 1080)).toThrow(/even/);
    expect(() => createFrameGeometry(0, 1080)).toThrow(RangeError);
    expect(() => createFrameGeometry(12.5, 10)).toThrow(RangeError);
  });
});

describe('chooseLevelIdc', () => {
  it('picks the smallest level that fits the frame size and macroblock rate', () => {
    expect(chooseLevelIdc(80, 45, 24)).toBe(31); // 720p
    expect(chooseLevelIdc(45, 45, 24)).toBe(31); // 720x720
    expect(chooseLevelIdc(68, 68, 24)).toBe(32); // 1080x1080
    expect(chooseLevelIdc(120, 68, 24)).toBe(40); // 1080p24
    expect(chooseLevelIdc(68, 120, 24)).toBe(40); // 1080x1920
    expect(chooseLevelIdc(120, 68, 60)).toBe(42); // 1080p60
    expect(chooseLevelIdc(7, 4, 24)).toBe(10);
  });

  it('throws beyond level 6.2', () => {
    expect(() => chooseLevelIdc(1000, 1000, 24)).toThrow(/exceeds every H.264 level/);
  });
});
