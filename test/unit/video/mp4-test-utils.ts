// Helpers for tests that inspect or damage MP4 files: find a box by path and patch big-endian fields.

import { readBoxes, readChildren, type Box } from '../../../src/video/mp4-box-reader.js';

// Where children start inside a payload: right away for containers, later for stsd and sample entries.
const CHILD_OFFSET: Record<string, number> = { stsd: 8, avc1: 78 };

/** The box at `path` ("moov/trak/mdia/minf/stbl/stsz"); throws if absent. */
export function findBoxAt(bytes: Uint8Array, path: string): Box {
  let boxes = readBoxes(bytes, 0, bytes.length);
  let found: Box | undefined;
  for (const type of path.split('/')) {
    if (found) boxes = readChildren(bytes, found, CHILD_OFFSET[found.type] ?? 0);
    found = boxes.find((box) => box.type === type);
    if (!found) throw new Error(`test helper: no box at ${path}`);
  }
  if (!found) throw new Error('test helper: empty path');
  return found;
}

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value);
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}

export const STBL = 'moov/trak/mdia/minf/stbl';

/** Rewrites ftyp, moov, mdat as ftyp, mdat, moov (how ffmpeg writes without +faststart), fixing stco. */
export function moveMoovToEnd(bytes: Uint8Array): Uint8Array {
  const ftyp = findBoxAt(bytes, 'ftyp');
  const moov = findBoxAt(bytes, 'moov');
  const mdat = findBoxAt(bytes, 'mdat');
  const moovBytes = bytes.slice(moov.start, moov.end);
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(ftyp.start, ftyp.end), 0);
  out.set(bytes.subarray(mdat.start, mdat.end), ftyp.end);
  out.set(moovBytes, ftyp.end + (mdat.end - mdat.start));
  out.set(bytes.subarray(mdat.end), ftyp.end + (mdat.end - mdat.start) + moovBytes.length);
  const stco = findBoxAt(out, `${STBL}/stco`);
  const entryAt = stco.payloadStart + 8;
  writeU32(out, entryAt, readU32(out, entryAt) - moovBytes.length);
  return out;
}
