// NAL unit framing, H.264 clause 7.3.1 / 7.4.1. An RBSP must not contain a start-code prefix, so the
// encapsulation inserts emulation_prevention_three_byte (0x03) after any two zero bytes that are
// followed by a byte <= 0x03. This holds in MP4 too: length prefixes replace start codes, but the
// NAL payload keeps its escaping (ISO/IEC 14496-15 clause 5.3.2).

export const NAL_TYPE = {
  nonIdrSlice: 1,
  idrSlice: 5,
  sps: 7,
  pps: 8,
} as const;

/** nal_unit_header (forbidden_zero_bit, nal_ref_idc, nal_unit_type) followed by the escaped RBSP. */
export function createNalUnit(nalRefIdc: number, nalUnitType: number, rbsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + rbsp.length + Math.ceil(rbsp.length / 2));
  out[0] = ((nalRefIdc & 3) << 5) | (nalUnitType & 31);
  let length = 1;
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out[length++] = 3;
      zeros = 0;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.slice(0, length);
}

/** The RBSP of a NAL unit (header byte dropped, emulation prevention bytes removed). */
export function readRbsp(nalUnit: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(0, nalUnit.length - 1));
  let length = 0;
  let zeros = 0;
  for (let i = 1; i < nalUnit.length; i++) {
    const byte = nalUnit[i] as number;
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.slice(0, length);
}

export function readNalUnitType(nalUnit: Uint8Array): number {
  return (nalUnit[0] ?? 0) & 31;
}
