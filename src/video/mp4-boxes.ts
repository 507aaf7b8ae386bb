// Byte-level building blocks for ISO BMFF boxes (ISO/IEC 14496-12 clause 4.2): big-endian fields and
// `size | type | payload` boxes. Boxes are small here (the moov of a still video is ~1 KB), so plain
// concatenation is fast enough and keeps each box definition readable.

export function u8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}

export function u16(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

export function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

/** 16.16 fixed point (tkhd width/height, rates). */
export function fixed16(value: number): Uint8Array {
  return u32(Math.round(value * 0x10000));
}

export function fourcc(type: string): Uint8Array {
  if (!/^[\x20-\x7e]{4}$/.test(type)) throw new Error(`not a four-character code: ${JSON.stringify(type)}`);
  return Uint8Array.from(type, (char) => char.charCodeAt(0));
}

export function zeros(count: number): Uint8Array {
  return new Uint8Array(count);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A box with a 32-bit size (every box we build except the padding `free`, see mp4-layout.ts). */
export function createBox(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concatBytes(payload);
  if (body.length + 8 > 0xffffffff) throw new RangeError(`box '${type}' is too large for a 32-bit size`);
  return concatBytes([u32(body.length + 8), fourcc(type), body]);
}

/** A FullBox: version (8 bits) and flags (24 bits) precede the payload (14496-12 clause 4.2). */
export function createFullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array {
  return createBox(type, u32(((version & 0xff) << 24) | (flags & 0xffffff)), ...payload);
}

/** The identity transformation matrix of mvhd/tkhd: 16.16 except the last column (2.30). */
export const UNITY_MATRIX = concatBytes([0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000].map(u32));

/** Packs an ISO 639-2/T language code as three 5-bit letters (mdhd, 14496-12 clause 8.4.2.3). */
export function packLanguage(code: string): Uint8Array {
  const [a, b, c] = Array.from(code, (char) => char.charCodeAt(0) - 0x60);
  return u16((((a ?? 0) & 31) << 10) | (((b ?? 0) & 31) << 5) | ((c ?? 0) & 31));
}
