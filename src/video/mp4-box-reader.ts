// Walking ISO BMFF boxes (ISO/IEC 14496-12 clause 4.2) with bounds checks: every box must fit in its
// parent, and every field read must fit in its box. Violations throw Mp4FormatError naming the box
// path and offset, so a truncated or corrupt download fails with a message a person can act on.

import { BachError } from '../errors.js';

export class Mp4FormatError extends BachError {
  constructor(detail: string) {
    super('invalid-mp4', `Invalid MP4: ${detail}`);
    this.name = 'Mp4FormatError';
  }
}

export interface Box {
  type: string;
  /** "moov/trak/mdia", for messages. */
  path: string;
  start: number;
  payloadStart: number;
  end: number;
}

/** The boxes laid end to end in bytes[start, end). */
export function readBoxes(bytes: Uint8Array, start: number, end: number, parentPath = ''): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  for (let offset = start; offset < end; ) {
    const where = parentPath ? `inside '${parentPath}'` : 'at the top level';
    if (end - offset < 8) throw new Mp4FormatError(`${end - offset} stray bytes at offset ${offset} ${where}, too few for a box header`);
    const size32 = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw new Mp4FormatError(`no valid box type at offset ${offset} ${where}`);
    const path = parentPath ? `${parentPath}/${type}` : type;
    let headerSize = 8;
    let size = size32;
    if (size32 === 1) {
      // largesize: a 64-bit size follows the type.
      if (end - offset < 16) throw new Mp4FormatError(`box '${path}' at offset ${offset} is cut off in its 64-bit size`);
      size = Number(view.getBigUint64(offset + 8));
      headerSize = 16;
    } else if (size32 === 0) {
      size = end - offset; // "extends to the end of the file" (or of the parent)
    }
    if (size < headerSize) throw new Mp4FormatError(`box '${path}' at offset ${offset} declares an impossible size ${size}`);
    if (size > end - offset) {
      throw new Mp4FormatError(
        `box '${path}' at offset ${offset} declares ${size} bytes but only ${end - offset} remain (truncated file?)`,
      );
    }
    boxes.push({ type, path, start: offset, payloadStart: offset + headerSize, end: offset + size });
    offset += size;
  }
  return boxes;
}

export function readChildren(bytes: Uint8Array, parent: Box, skip = 0): Box[] {
  return readBoxes(bytes, parent.payloadStart + skip, parent.end, parent.path);
}

export function findBox(boxes: readonly Box[], type: string): Box | undefined {
  return boxes.find((box) => box.type === type);
}

export function requireBox(boxes: readonly Box[], type: string, parentPath: string): Box {
  const box = findBox(boxes, type);
  if (!box) throw new Mp4FormatError(parentPath ? `'${parentPath}' has no '${type}' box` : `no top-level '${type}' box`);
  return box;
}

/** Sequential big-endian reads from one box's payload; reading past the box end throws. */
export class PayloadReader {
  private offset: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly box: Box,
  ) {
    this.offset = box.payloadStart;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2));
  }
  u32(): number {
    return this.view.getUint32(this.take(4));
  }
  u64(): number {
    return Number(this.view.getBigUint64(this.take(8)));
  }
  fourcc(): string {
    const at = this.take(4);
    return String.fromCharCode(...this.bytes.subarray(at, at + 4));
  }
  bytesOf(count: number): Uint8Array {
    const at = this.take(count);
    return this.bytes.subarray(at, at + count);
  }
  skip(count: number): void {
    this.take(count);
  }
  /** version and flags of a FullBox. */
  fullBoxHeader(): { version: number; flags: number } {
    const word = this.u32();
    return { version: word >>> 24, flags: word & 0xffffff };
  }
  /** A u32 entry count whose `entryBytes`-sized entries must fit in the rest of the box. */
  entryCount(entryBytes: number): number {
    const count = this.u32();
    if (count * entryBytes > this.box.end - this.offset) {
      throw new Mp4FormatError(`box '${this.box.path}' at offset ${this.box.start} claims ${count} entries but is too short for them`);
    }
    return count;
  }
  get position(): number {
    return this.offset;
  }

  private take(count: number): number {
    if (this.offset + count > this.box.end) {
      throw new Mp4FormatError(`box '${this.box.path}' at offset ${this.box.start} is too short for its fields`);
    }
    const at = this.offset;
    this.offset += count;
    return at;
  }
}
