import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../../src/video/bit-writer.js';
import { chooseDcLevel, residualForDcLevel, writeSingleDcBlock, type DcPlane } from '../../../src/video/h264-residual.js';

function coded(plane: DcPlane, level: number): string {
  const w = new BitWriter();
  writeSingleDcBlock(w, plane, level);
  const length = w.bitLength;
  w.writeTrailingBits();
  return Array.from(w.finish(), (byte) => byte.toString(2).padStart(8, '0')).join('').slice(0, length);
}

describe('single-coefficient DC blocks (CAVLC)', () => {
  it('codes luma DC with the 0 <= nC < 2 coeff_token table', () => {
    expect(coded('luma', 0)).toBe('1'); // TotalCoeff 0
    expect(coded('luma', 1)).toBe('01' + '0' + '1'); // T1=1 TC=1, sign +, total_zeros 0
    expect(coded('luma', -1)).toBe('01' + '1' + '1');
    expect(coded('luma', 2)).toBe('000101' + '1' + '1'); // T1=0 TC=1, level_prefix 0, total_zeros 0
    expect(coded('luma', -2)).toBe('000101' + '01' + '1'); // level_prefix 1
    expect(coded('luma', 9)).toBe('000101' + '000000000000001' + '0000' + '1'); // levelCode 14: prefix 14, suffix 0
    expect(coded('luma', 17)).toBe('000101' + '0000000000000001' + '000000000000' + '1'); // levelCode 30: escape
  });

  it('codes a c00-only 4x4 luma block like the luma DC block (same nC column, maxNumCoeff 16)', () => {
    for (const level of [0, 1, -1, 2, -5, 40]) expect(coded('luma4x4', level)).toBe(coded('luma', level));
  });

  it('codes chroma DC with the nC = -1 coeff_token table', () => {
    expect(coded('chroma', 0)).toBe('01');
    expect(coded('chroma', 1)).toBe('1' + '0' + '1');
    expect(coded('chroma', -3)).toBe('000111' + '0001' + '1'); // levelCode 3
  });

  it('rejects levels beyond the 12-bit escape', () => {
    expect(() => coded('luma', 5000)).toThrow(RangeError);
  });
});

describe('DC level choice', () => {
  it('follows the decoder arithmetic at QP 26', () => {
    expect([0, 1, 2, 3, 4, -1, -2].map((level) => residualForDcLevel('luma', level))).toEqual([0, 1, 2, 2, 3, -1, -2]);
    expect([0, 1, 2, 3, -1].map((level) => residualForDcLevel('chroma', level))).toEqual([0, 2, 3, 5, -2]);
    expect([0, 1, 2, 3, -1, -2].map((level) => residualForDcLevel('luma4x4', level))).toEqual([0, 3, 7, 10, -3, -6]);
  });

  it('reaches every luma target exactly, chroma within one and 4x4 luma blocks within two', () => {
    for (let target = 0; target <= 255; target += 5) {
      expect(chooseDcLevel('luma', 128, target).reconstructed).toBe(target);
      expect(Math.abs(chooseDcLevel('chroma', 128, target).reconstructed - target)).toBeLessThanOrEqual(1);
      expect(Math.abs(chooseDcLevel('luma4x4', 128, target).reconstructed - target)).toBeLessThanOrEqual(2);
    }
    expect(chooseDcLevel('luma', 100, 100)).toEqual({ level: 0, reconstructed: 100 });
  });
});
