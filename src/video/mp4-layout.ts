// Files too large to hold in memory: the encoded head plus a trailing top-level `free` box whose
// payload is zeros that a server streams. Readers skip `free` boxes (14496-12 clause 8.1.2), so the
// file stays a valid MP4 of any size. Beyond 4 GiB the box uses a 64-bit largesize (clause 4.2).

import { concatBytes, fourcc, u32, u64 } from './mp4-boxes.js';

export interface Mp4Layout {
  /** The bytes of the file up to and including the header of the padding `free` box. */
  head: Uint8Array;
  /** How many zero bytes follow `head`. */
  paddingBytes: number;
  /** head.length + paddingBytes. */
  totalSize: number;
}

/** Padding for `createMp4Layout`: either the exact file size, or the number of zero bytes to add. */
export type PaddingRequest = { totalSize: number } | { paddingBytes: number };

const SMALL_HEADER = 8;
const LARGE_HEADER = 16;
const MAX_SMALL_BOX = 0xffffffff;

export function createPaddedLayout(file: Uint8Array, padding: PaddingRequest | undefined): Mp4Layout {
  if (padding === undefined) return { head: file, paddingBytes: 0, totalSize: file.length };
  let boxSize: number; // the whole `free` box, header included
  if ('totalSize' in padding) {
    checkSize('totalSize', padding.totalSize);
    boxSize = padding.totalSize - file.length;
    if (boxSize === 0) return { head: file, paddingBytes: 0, totalSize: file.length };
    if (boxSize < SMALL_HEADER) {
      throw new RangeError(
        `totalSize ${padding.totalSize} must equal ${file.length} (the unpadded file) or be at least ${file.length + SMALL_HEADER} (room for a free box)`,
      );
    }
  } else {
    checkSize('paddingBytes', padding.paddingBytes);
    const small = padding.paddingBytes + SMALL_HEADER;
    boxSize = small <= MAX_SMALL_BOX ? small : padding.paddingBytes + LARGE_HEADER;
  }
  const head = concatBytes([file, createFreeBoxHeader(boxSize)]);
  const paddingBytes = file.length + boxSize - head.length;
  return { head, paddingBytes, totalSize: file.length + boxSize };
}

/** The header of a `free` box of `boxSize` bytes in all: a 32-bit size when it fits, else largesize. */
export function createFreeBoxHeader(boxSize: number): Uint8Array {
  if (boxSize <= MAX_SMALL_BOX) return concatBytes([u32(boxSize), fourcc('free')]);
  return concatBytes([u32(1), fourcc('free'), u64(boxSize)]); // size 1 = "a largesize follows"
}

/**
 * The bytes of a layout in order, as chunks of at most `chunkSize` bytes; `start`/`end` (end
 * exclusive) select a byte range, e.g. for an HTTP Range request. Zero chunks share one buffer:
 * consumers must not write into the chunks they receive.
 */
export function* iterateMp4Layout(
  layout: Mp4Layout,
  options: { chunkSize?: number; start?: number; end?: number } = {},
): Generator<Uint8Array, void, undefined> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const start = options.start ?? 0;
  const end = options.end ?? layout.totalSize;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end > layout.totalSize || start > end) {
    throw new RangeError(`byte range ${start}-${end} is outside the file's ${layout.totalSize} bytes`);
  }
  const headEnd = Math.min(end, layout.head.length);
  for (let offset = start; offset < headEnd; offset += chunkSize) {
    yield layout.head.subarray(offset, Math.min(headEnd, offset + chunkSize));
  }
  let remaining = end - Math.max(start, layout.head.length);
  if (remaining <= 0) return;
  const zeroChunk = new Uint8Array(Math.min(chunkSize, remaining));
  while (remaining > 0) {
    const size = Math.min(zeroChunk.length, remaining);
    yield size === zeroChunk.length ? zeroChunk : zeroChunk.subarray(0, size);
    remaining -= size;
  }
}

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
}
