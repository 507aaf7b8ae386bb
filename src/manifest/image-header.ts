import { crc32 } from 'node:zlib';
import { detectImageFormat, IMAGE_HEAD_BYTES, type ImageFormat } from './file-facts.js';

// Pure, given a way to read bytes: is a file that starts like an image really one? A signature
// alone let a PNG signature followed by garbage pass as an image — uploaded, paid for, and refused
// or misread by the API. Each accepted format's header is read up to the image's dimensions, which
// must be there and make sense:
//
//   png   IHDR first, its CRC right, width and height 1…2^31-1
//   jpeg  a frame header (SOFn) reached by walking the segments, width and height > 0
//   gif   logical screen size > 0, and a block (extension, image or trailer) after the colour table
//   bmp   a known DIB header, planes 1, a known bit depth, width > 0, height ≠ 0, pixels inside the file
//   webp  a VP8, VP8L or VP8X chunk with its size (VP8: the key-frame start code)
//   tiff  the first directory inside the file, holding ImageWidth and ImageLength > 0
//   ico   every directory entry's image inside the file; the first is a PNG or a bitmap
//   svg   a complete <svg> start tag with a viewBox or a width and a height
//
// Decided: an SVG must state its size (viewBox, or width and height): a browser would draw one
// without at 300×150, but the API makes a video frame from it and nothing says how it sizes one.
// Only the header is read — a few bytes, positioned reads for JPEG segments and TIFF directories —
// never the whole image, so checking 1,000 images stays cheap.

export interface ByteSource {
  size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

export type ImageHeader =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; format: ImageFormat; problem: string };

/** undefined when the bytes do not start like any supported image format at all. */
export function inspectImage(source: ByteSource): ImageHeader | undefined {
  const head = source.read(0, IMAGE_HEAD_BYTES);
  const format = detectImageFormat(head);
  if (format === undefined) return undefined;
  const bytes = new Bytes(source, head);
  try {
    const size = READERS[format](bytes);
    if (typeof size === 'string') return { ok: false, format, problem: size };
    return { ok: true, format, ...size };
  } catch (error) {
    if (error instanceof CutShort) return { ok: false, format, problem: 'the file ends inside its header' };
    throw error;
  }
}

type Size = { width: number; height: number };
type Reader = (bytes: Bytes) => Size | string;

const READERS: Record<ImageFormat, Reader> = { png: readPng, jpeg: readJpeg, gif: readGif, bmp: readBmp, webp: readWebp, tiff: readTiff, ico: readIco, svg: readSvg };

function readPng(bytes: Bytes): Size | string {
  if (bytes.u32be(8) !== 13 || bytes.ascii(12, 4) !== 'IHDR') return 'no IHDR chunk follows its signature';
  if (crc32(bytes.slice(12, 29)) !== bytes.u32be(29)) return 'its IHDR chunk is damaged (the checksum does not match)';
  return checkSize(bytes.u32be(16), bytes.u32be(20), 0x7fffffff);
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpeg(bytes: Bytes): Size | string {
  let offset = 2;
  // Each step moves forward at least a byte; the bound only stops a pathological file early.
  for (let steps = 0; steps < 100_000; steps++) {
    if (offset + 2 > bytes.size) return 'it ends before its frame header (SOF)';
    if (bytes.u8(offset) !== 0xff) return `no segment marker at byte ${offset}`;
    const marker = bytes.u8(offset + 1);
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda) return 'no frame header (SOF) comes before its image data';
    const length = bytes.u16be(offset + 2);
    if (length < 2) return `a segment at byte ${offset} has an impossible length`;
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) return 'its frame header (SOF) is too short';
      return checkSize(bytes.u16be(offset + 7), bytes.u16be(offset + 5), 0xffff);
    }
    offset += 2 + length;
  }
  return 'too many segments before its frame header (SOF)';
}

function readGif(bytes: Bytes): Size | string {
  const size = checkSize(bytes.u16le(6), bytes.u16le(8), 0xffff);
  if (typeof size === 'string') return size;
  const flags = bytes.u8(10);
  const next = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  const block = bytes.u8(next);
  return block === 0x21 || block === 0x2c || block === 0x3b ? size : 'no image block follows its header';
}

function readBmp(bytes: Bytes): Size | string {
  const dib = bytes.u32le(14);
  const pixels = bytes.u32le(10);
  if (pixels < 14 + dib || pixels >= bytes.size) return 'its pixel data lies outside the file';
  if (dib === 12) {
    if (bytes.u16le(22) !== 1 || ![1, 4, 8, 24].includes(bytes.u16le(24))) return 'its bitmap header is damaged';
    return checkSize(bytes.u16le(18), bytes.u16le(20), 0xffff);
  }
  if (bytes.u16le(26) !== 1 || ![0, 1, 2, 4, 8, 16, 24, 32].includes(bytes.u16le(28))) return 'its bitmap header is damaged';
  // A negative height is a top-down bitmap.
  return checkSize(bytes.i32le(18), Math.abs(bytes.i32le(22)), 0x7fffffff);
}

function readWebp(bytes: Bytes): Size | string {
  if (8 + bytes.u32le(4) > bytes.size) return 'it is shorter than its RIFF header says';
  const chunk = bytes.ascii(12, 4);
  if (chunk === 'VP8 ') {
    if (bytes.u8(23) !== 0x9d || bytes.u8(24) !== 0x01 || bytes.u8(25) !== 0x2a) return 'its VP8 frame has no start code';
    return checkSize(bytes.u16le(26) & 0x3fff, bytes.u16le(28) & 0x3fff, 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (bytes.u8(20) !== 0x2f) return 'its VP8L chunk has no signature';
    const bits = bytes.u32le(21);
    if (bits >>> 29 !== 0) return 'its VP8L chunk has an unknown version';
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: bytes.u24le(24) + 1, height: bytes.u24le(27) + 1 };
  return 'no VP8, VP8L or VP8X chunk follows its header';
}

function readTiff(bytes: Bytes): Size | string {
  const big = bytes.u8(0) === 0x4d;
  const u16 = (at: number) => (big ? bytes.u16be(at) : bytes.u16le(at));
  const u32 = (at: number) => (big ? bytes.u32be(at) : bytes.u32le(at));
  const directory = u32(4);
  if (directory < 8 || directory + 2 > bytes.size) return 'its first image directory lies outside the file';
  const count = u16(directory);
  if (count === 0 || directory + 2 + count * 12 > bytes.size) return 'its first image directory is damaged';
  let width = 0;
  let height = 0;
  for (let i = 0; i < count; i++) {
    const entry = directory + 2 + i * 12;
    const tag = u16(entry);
    if (tag !== 256 && tag !== 257) continue;
    const type = u16(entry + 2);
    if (u32(entry + 4) !== 1 || (type !== 3 && type !== 4)) continue;
    const value = type === 3 ? u16(entry + 8) : u32(entry + 8);
    if (tag === 256) width = value;
    else height = value;
  }
  if (width === 0 || height === 0) return 'its first image directory has no width and height';
  return { width, height };
}

function readIco(bytes: Bytes): Size | string {
  const count = bytes.u16le(4);
  const table = 6 + 16 * count;
  if (table > bytes.size) return 'its image directory lies outside the file';
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    const length = bytes.u32le(entry + 8);
    const offset = bytes.u32le(entry + 12);
    if (length === 0 || offset < table || offset + length > bytes.size) return `its image ${i + 1} lies outside the file`;
  }
  const first = bytes.u32le(6 + 12);
  const isPng = bytes.u32be(first) === 0x89504e47;
  if (!isPng && bytes.u32le(first) !== 40) return 'its first image is neither a PNG nor a bitmap';
  // 0 in the directory means 256 pixels.
  return { width: bytes.u8(6) || 256, height: bytes.u8(7) || 256 };
}

/** SVG start tags are short; one that runs past this is not read further. */
const SVG_TAG_LIMIT = 64 * 1024;

function readSvg(bytes: Bytes): Size | string {
  const text = new TextDecoder().decode(bytes.slice(0, Math.min(bytes.size, SVG_TAG_LIMIT)));
  const start = text.search(/<svg[\s>]/i);
  const tag = start < 0 ? undefined : /^<svg((?:[^>"']|"[^"]*"|'[^']*')*)>/i.exec(text.slice(start))?.[1];
  if (tag === undefined) return 'its <svg> start tag is incomplete';
  const attribute = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  const value = (name: string) => {
    const match = attribute(name);
    return match ? (match[1] ?? match[2] ?? '') : undefined;
  };
  const viewBox = value('viewBox')?.trim().split(/[\s,]+/).map(Number);
  if (viewBox && viewBox.length === 4 && viewBox.every(Number.isFinite) && viewBox[2]! > 0 && viewBox[3]! > 0) {
    return { width: Math.ceil(viewBox[2]!), height: Math.ceil(viewBox[3]!) };
  }
  const width = parseLength(value('width'));
  const height = parseLength(value('height'));
  if (width !== undefined && height !== undefined) return { width, height };
  return 'it gives no size (neither a viewBox nor a width and height on its <svg> element)';
}

/** An absolute SVG length (a number, optionally with a unit other than %), rounded up. */
function parseLength(text: string | undefined): number | undefined {
  const match = /^\s*((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(?:px|pt|pc|mm|cm|in|em|ex)?\s*$/i.exec(text ?? '');
  const number = match ? Number(match[1]) : Number.NaN;
  return number > 0 && Number.isFinite(number) ? Math.ceil(number) : undefined;
}

function checkSize(width: number, height: number, max: number): Size | string {
  if (width < 1 || height < 1 || width > max || height > max) return `its header gives an impossible size (${width}×${height})`;
  return { width, height };
}

class CutShort extends Error {}

/** Reads through the head already in memory, and past it with positioned reads. */
class Bytes {
  readonly size: number;
  constructor(
    private readonly source: ByteSource,
    private readonly head: Uint8Array,
  ) {
    this.size = source.size;
  }

  slice(offset: number, end: number): Uint8Array {
    if (offset < 0 || end > this.size) throw new CutShort();
    if (end <= this.head.length) return this.head.subarray(offset, end);
    const bytes = this.source.read(offset, end - offset);
    if (bytes.length < end - offset) throw new CutShort();
    return bytes;
  }

  u8(offset: number): number {
    return this.slice(offset, offset + 1)[0]!;
  }
  u16le(offset: number): number {
    const b = this.slice(offset, offset + 2);
    return b[0]! | (b[1]! << 8);
  }
  u16be(offset: number): number {
    const b = this.slice(offset, offset + 2);
    return (b[0]! << 8) | b[1]!;
  }
  u24le(offset: number): number {
    const b = this.slice(offset, offset + 3);
    return b[0]! | (b[1]! << 8) | (b[2]! << 16);
  }
  u32le(offset: number): number {
    const b = this.slice(offset, offset + 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000;
  }
  i32le(offset: number): number {
    return this.u32le(offset) | 0;
  }
  u32be(offset: number): number {
    const b = this.slice(offset, offset + 4);
    return b[0]! * 0x1000000 + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }
  ascii(offset: number, length: number): string {
    return String.fromCharCode(...this.slice(offset, offset + length));
  }
}
