// H.264 in MP4 (pure): the AVCDecoderConfigurationRecord (`avcC`, ISO 14496-15 §5.3.3) that holds a
// stream's parameter sets (SPS, PPS) and the length-prefix size of its NAL units, and the one change
// a cut makes to a shot's first frame when shots differ in their parameter sets: the shot's SPS and
// PPS are put in front of that frame (in-band, as an `avc3` track allows), so a decoder switches to
// them exactly where the shot starts. Without that, a player decodes every later shot with the first
// shot's parameter sets — Chromium stops with PIPELINE_ERROR_DECODE.

export interface AvcConfig {
  /** Bytes of each NAL unit's length prefix in the samples: 1, 2 or 4. */
  lengthSize: number;
  sps: Uint8Array[];
  pps: Uint8Array[];
}

export function parseAvcConfig(record: Uint8Array): AvcConfig {
  const fail = (what: string): never => {
    throw new Error(`not an AVC decoder configuration record: ${what}`);
  };
  if (record.length < 7 || record[0] !== 1) fail('configurationVersion is not 1');
  const lengthSize = (record[4]! & 0x03) + 1;
  if (lengthSize === 3) fail('NAL length size 3');
  let offset = 5;
  const readSets = (count: number): Uint8Array[] => {
    const sets: Uint8Array[] = [];
    for (let i = 0; i < count; i += 1) {
      if (offset + 2 > record.length) fail('truncated');
      const length = (record[offset]! << 8) | record[offset + 1]!;
      offset += 2;
      if (offset + length > record.length) fail('truncated');
      sets.push(record.subarray(offset, offset + length));
      offset += length;
    }
    return sets;
  };
  const sps = readSets(record[offset++]! & 0x1f);
  if (offset >= record.length) fail('truncated');
  const pps = readSets(record[offset++]!);
  return { lengthSize, sps, pps };
}

/** Splits a sample into its NAL units (without their length prefixes). */
export function splitNalUnits(sample: Uint8Array, lengthSize: number): Uint8Array[] {
  const units: Uint8Array[] = [];
  let offset = 0;
  while (offset < sample.length) {
    if (offset + lengthSize > sample.length) throw new Error('truncated NAL length prefix');
    let length = 0;
    for (let i = 0; i < lengthSize; i += 1) length = length * 256 + sample[offset + i]!;
    offset += lengthSize;
    if (offset + length > sample.length) throw new Error('NAL unit runs past the end of its sample');
    units.push(sample.subarray(offset, offset + length));
    offset += length;
  }
  return units;
}

/** NAL units with length prefixes of `lengthSize` bytes. */
export function joinNalUnits(units: Uint8Array[], lengthSize: number): Uint8Array {
  const limit = 2 ** (8 * lengthSize);
  const total = units.reduce((sum, unit) => sum + lengthSize + unit.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const unit of units) {
    if (unit.length >= limit) throw new Error(`a NAL unit of ${unit.length} bytes does not fit a ${lengthSize}-byte length`);
    for (let i = lengthSize - 1; i >= 0; i -= 1) out[offset + i] = Math.floor(unit.length / 2 ** (8 * (lengthSize - 1 - i))) % 256;
    offset += lengthSize;
    out.set(unit, offset);
    offset += unit.length;
  }
  return out;
}

/**
 * A sample of a shot as the film needs it: re-framed to the film's NAL length size when the shot
 * uses another, and — for the shot's first sample, when parameter sets travel in-band — with the
 * shot's SPS and PPS in front (any it already carries are replaced, not repeated).
 */
export function adaptSample(sample: Uint8Array, shot: AvcConfig, filmLengthSize: number, withParameterSets: boolean): Uint8Array {
  if (!withParameterSets && shot.lengthSize === filmLengthSize) return sample;
  let units = splitNalUnits(sample, shot.lengthSize);
  if (withParameterSets) {
    // An access unit delimiter, when there is one, must stay first (H.264 §7.4.1.2.3).
    const rest = units.filter((unit) => !isParameterSet(unit));
    const delimiter = rest[0] && (rest[0][0]! & 0x1f) === 9 ? [rest.shift()!] : [];
    units = [...delimiter, ...shot.sps, ...shot.pps, ...rest];
  }
  return joinNalUnits(units, filmLengthSize);
}

function isParameterSet(unit: Uint8Array): boolean {
  const type = unit[0]! & 0x1f;
  return type === 7 || type === 8;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
