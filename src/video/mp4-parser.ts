// Reading what a video is from its MP4 bytes: size from the SPS (with cropping), frame rate and
// duration from the video track's timing tables, profile and level from avcC. Accepts any box order
// (moov before or after mdat), edit lists, extra tracks and trailing `free` padding; throws
// Mp4FormatError on anything it cannot trust.

import { readAvcConfig } from './avc-config.js';
import { findBox, Mp4FormatError, PayloadReader, readBoxes, readChildren, requireBox, type Box } from './mp4-box-reader.js';
import { readTagBoxPayload } from './mp4-tag.js';
import { readSampleTable, type SampleTable } from './sample-table.js';

export interface Mp4Info {
  /** Display size in pixels (the SPS's coded size minus its cropping). */
  width: number;
  height: number;
  /** Media timescale / the typical sample duration; 24 for our files, 30000/1001 for NTSC. */
  fps: number;
  durationSeconds: number;
  frameCount: number;
  codec: 'avc1';
  /** RFC 6381 codecs parameter, e.g. "avc1.42C028". */
  codecString: string;
  /** profile_idc: 66 Baseline, 77 Main, 100 High. */
  profile: number;
  /** level_idc / 10: 3.1, 4, ... */
  level: number;
  /** ftyp major brand first, then the compatible brands (deduplicated). */
  brands: string[];
  /** The tag of a bach-render result, when the file carries one. */
  tag?: string;
}

export function parseMp4(bytes: Uint8Array): Mp4Info {
  if (bytes.length < 8) throw new Mp4FormatError(`only ${bytes.length} bytes, too short for any box`);
  const top = readBoxes(bytes, 0, bytes.length);
  const brands = readBrands(bytes, requireBox(top, 'ftyp', ''));
  const moov = findBox(top, 'moov');
  if (!moov) throw new Mp4FormatError(`no 'moov' box (boxes found: ${top.map((box) => box.type).join(', ')})`);
  const moovChildren = readChildren(bytes, moov);
  const trak = findVideoTrack(bytes, moovChildren);
  if (!trak) {
    throw new Mp4FormatError(
      findBox(moovChildren, 'mvex') ? 'fragmented MP4 without a video track in moov is not supported' : 'no video track',
    );
  }
  const mdia = requireBox(readChildren(bytes, trak), 'mdia', trak.path);
  const mdiaChildren = readChildren(bytes, mdia);
  const media = readMediaHeader(bytes, requireBox(mdiaChildren, 'mdhd', mdia.path));
  const minf = requireBox(mdiaChildren, 'minf', mdia.path);
  const stbl = requireBox(readChildren(bytes, minf), 'stbl', minf.path);
  const avc = readAvcConfig(bytes, requireBox(readChildren(bytes, stbl), 'stsd', stbl.path));
  const samples = readSampleTable(bytes, stbl);
  if (samples.sampleCount === 0) {
    throw new Mp4FormatError(
      findBox(moovChildren, 'mvex') ? 'fragmented MP4 (samples in moof boxes) is not supported' : 'the video track has no samples',
    );
  }
  if (samples.typicalDelta === 0) throw new Mp4FormatError(`'stts' gives the video samples zero duration`);
  checkFirstSample(bytes, samples, avc.nalLengthSize);

  const tag = readTag(bytes, top);
  const mediaDuration = media.duration > 0 ? media.duration : samples.totalDuration;
  return {
    width: avc.sps.width,
    height: avc.sps.height,
    fps: media.timescale / samples.typicalDelta,
    durationSeconds: mediaDuration / media.timescale,
    frameCount: samples.sampleCount,
    codec: 'avc1',
    codecString: `avc1.${[avc.profileIdc, avc.constraintFlags, avc.levelIdc].map(toHexByte).join('')}`,
    profile: avc.profileIdc,
    level: avc.levelIdc / 10,
    brands,
    ...(tag === undefined ? {} : { tag }),
  };
}

/** An ISO BMFF file starts with a box whose type is `ftyp` (14496-12 clause 4.3). */
export function hasMp4Signature(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const size = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  return size >= 16 && head[4] === 0x66 && head[5] === 0x74 && head[6] === 0x79 && head[7] === 0x70; // "ftyp"
}

function readBrands(bytes: Uint8Array, ftyp: Box): string[] {
  const r = new PayloadReader(bytes, ftyp);
  const brands = [r.fourcc()];
  r.u32(); // minor_version
  while (r.position + 4 <= ftyp.end) brands.push(r.fourcc());
  return [...new Set(brands)];
}

function findVideoTrack(bytes: Uint8Array, moovChildren: readonly Box[]): Box | undefined {
  return moovChildren.find((box) => {
    if (box.type !== 'trak') return false;
    const mdia = findBox(readChildren(bytes, box), 'mdia');
    const hdlr = mdia && findBox(readChildren(bytes, mdia), 'hdlr');
    if (!hdlr) return false;
    const r = new PayloadReader(bytes, hdlr);
    r.fullBoxHeader();
    r.u32(); // pre_defined
    return r.fourcc() === 'vide';
  });
}

/** mdhd (14496-12 clause 8.4.2): version 1 widens the times and duration to 64 bits. */
function readMediaHeader(bytes: Uint8Array, mdhd: Box): { timescale: number; duration: number } {
  const r = new PayloadReader(bytes, mdhd);
  const { version } = r.fullBoxHeader();
  r.skip(version === 1 ? 16 : 8); // creation_time, modification_time
  const timescale = r.u32();
  const duration = version === 1 ? r.u64() : r.u32();
  if (timescale === 0) throw new Mp4FormatError(`'${mdhd.path}' has timescale 0`);
  // All ones means "unknown duration" (14496-12 clause 8.4.2.3).
  const unknown = version === 1 ? duration === Number(0xffffffffffffffffn) : duration === 0xffffffff;
  return { timescale, duration: unknown ? 0 : duration };
}

/** The first sample must be a run of length-prefixed NAL units that includes a coded slice. */
function checkFirstSample(bytes: Uint8Array, samples: SampleTable, lengthSize: number): void {
  const start = samples.offsets[0] as number;
  const end = start + (samples.sizes[0] as number);
  let hasSlice = false;
  for (let offset = start; offset < end; ) {
    if (offset + lengthSize > end) throw new Mp4FormatError(`sample 1 ends inside a NAL unit length at byte ${offset}`);
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + (bytes[offset + i] as number);
    offset += lengthSize;
    if (length === 0 || offset + length > end) throw new Mp4FormatError(`sample 1 has a NAL unit of impossible length ${length} at byte ${offset}`);
    const type = (bytes[offset] as number) & 31;
    if (type >= 1 && type <= 5) hasSlice = true;
    offset += length;
  }
  if (!hasSlice) throw new Mp4FormatError('sample 1 holds no coded picture (no H.264 slice NAL unit)');
}

function readTag(bytes: Uint8Array, top: readonly Box[]): string | undefined {
  for (const box of top) {
    if (box.type !== 'uuid') continue;
    const tag = readTagBoxPayload(bytes.subarray(box.payloadStart, box.end));
    if (tag !== undefined) return tag;
  }
  return undefined;
}

function toHexByte(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
