import { describe, expect, it } from 'vitest';
import { BitReader } from '../../../src/video/bit-reader.js';
import { BitWriter } from '../../../src/video/bit-writer.js';
import { createNalUnit, readRbsp } from '../../../src/video/nal.js';

function bitString(bytes: Uint8Array, bitCount: number): string {
  return Array.from(bytes, (byte) => byte.toString(2).padStart(8, '0')).join('').slice(0, bitCount);
}

describe('BitWriter / BitReader', () => {
  it('codes ue(v) as in H.264 Table 9-2', () => {
    const cases: [number, string][] = [[0, '1'], [1, '010'], [2, '011'], [3, '00100'], [7, '0001000'], [8160, '0000000000001111111100001']];
    for (const [value, bits] of cases) {
      const w = new BitWriter();
      w.writeUe(value);
      const length = w.bitLength;
      w.writeTrailingBits();
      expect(bitString(w.finish(), length), `ue(${value})`).toBe(bits);
    }
  });

  it('round-trips ue, se and fixed-width fields', () => {
    const w = new BitWriter(1); // forces the buffer to grow
    const ues = [0, 1, 2, 3, 30, 255, 256, 65535, 2 ** 31, 0xfffffffe];
    const ses = [0, 1, -1, 2, -2, 26, -26, 1000, -1000];
    for (const value of ues) w.writeUe(value);
    for (const value of ses) w.writeSe(value);
    w.writeBits(0xdeadbeef, 32);
    w.writeBits(5, 3);
    w.writeTrailingBits();
    const r = new BitReader(w.finish());
    expect(ues.map(() => r.readUe())).toEqual(ues);
    expect(ses.map(() => r.readSe())).toEqual(ses);
    expect(r.readBits(32)).toBe(0xdeadbeef);
    expect(r.readBits(3)).toBe(5);
    expect(r.readBit()).toBe(1); // the stop bit
  });

  it('refuses to finish mid-byte and to read past the end', () => {
    const w = new BitWriter();
    w.writeBits(1, 3);
    expect(() => w.finish()).toThrow(/byte-aligned/);
    expect(() => w.writeUe(-1)).toThrow(RangeError);
    const r = new BitReader(Uint8Array.of(0));
    expect(() => r.readUe()).toThrow(/past the end/);
  });
});

describe('NAL emulation prevention', () => {
  it('escapes 00 00 0x (x <= 3) and reads it back', () => {
    const rbsp = Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0x80);
    const nal = createNalUnit(3, 7, rbsp);
    expect(Array.from(nal)).toEqual([0x67, 0, 0, 3, 0, 0, 3, 0, 1, 0, 0, 3, 2, 0, 0, 3, 3, 0, 0, 4, 0x80]);
    expect(readRbsp(nal)).toEqual(rbsp);
  });

  it('leaves streams without zero pairs untouched', () => {
    const rbsp = Uint8Array.of(1, 0, 1, 0, 3, 0x80);
    expect(Array.from(createNalUnit(0, 1, rbsp).subarray(1))).toEqual(Array.from(rbsp));
  });
});
