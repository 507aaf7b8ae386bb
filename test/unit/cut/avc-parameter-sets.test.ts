import { describe, expect, it } from 'vitest';
import { adaptSample, joinNalUnits, parseAvcConfig, splitNalUnits } from '../../../src/cut/avc-parameter-sets.js';

// The one change a cut makes to H.264 samples: each shot's SPS/PPS in front of its first frame when
// shots differ in parameter sets, and NAL length prefixes re-framed to the film's size.

const sps = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xaa);
const pps = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
function record(lengthSize: number): Uint8Array {
  return Uint8Array.of(1, 0x42, 0xc0, 0x1e, 0xfc | (lengthSize - 1), 0xe1, 0, sps.length, ...sps, 1, 0, pps.length, ...pps);
}
const idr = Uint8Array.of(0x65, 1, 2, 3);
const sei = Uint8Array.of(0x06, 9, 9);
const aud = Uint8Array.of(0x09, 0xf0);

describe('avc parameter sets', () => {
  it('reads the record: length size, SPS and PPS', () => {
    expect(parseAvcConfig(record(4))).toEqual({ lengthSize: 4, sps: [sps], pps: [pps] });
    expect(parseAvcConfig(record(2)).lengthSize).toBe(2);
    expect(() => parseAvcConfig(Uint8Array.of(0, 1, 2))).toThrow(/not an AVC decoder configuration record/);
    expect(() => parseAvcConfig(record(4).subarray(0, 12))).toThrow(/truncated/);
  });

  it('splits and joins length-prefixed NAL units', () => {
    const sample = joinNalUnits([sei, idr], 4);
    expect([...sample.subarray(0, 4)]).toEqual([0, 0, 0, 3]);
    expect(splitNalUnits(sample, 4)).toEqual([sei, idr]);
    expect(splitNalUnits(joinNalUnits([idr], 1), 1)).toEqual([idr]);
    expect(() => splitNalUnits(Uint8Array.of(0, 0, 0, 9, 1), 4)).toThrow(/past the end/);
    expect(() => joinNalUnits([new Uint8Array(300)], 1)).toThrow(/does not fit/);
  });

  it('puts the shot\'s parameter sets in front of its first frame, after an access unit delimiter, replacing old ones', () => {
    const config = parseAvcConfig(record(4));
    const first = adaptSample(joinNalUnits([sei, idr], 4), config, 4, true);
    expect(splitNalUnits(first, 4)).toEqual([sps, pps, sei, idr]);
    const withAud = adaptSample(joinNalUnits([aud, Uint8Array.of(0x67, 1), idr], 4), config, 4, true);
    expect(splitNalUnits(withAud, 4)).toEqual([aud, sps, pps, idr]);
  });

  it('leaves other samples alone, or re-frames them to the film\'s length size', () => {
    const sample = joinNalUnits([idr], 4);
    expect(adaptSample(sample, parseAvcConfig(record(4)), 4, false)).toBe(sample);
    const short = joinNalUnits([idr], 2);
    expect(splitNalUnits(adaptSample(short, parseAvcConfig(record(2)), 4, false), 4)).toEqual([idr]);
  });
});
