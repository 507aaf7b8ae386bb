// An MP4 (ISO/IEC 14496-12) holding one AVC video track (14496-15), laid out for fast start:
// ftyp, then moov, then mdat. The moov's size does not depend on the chunk offset it records (stco
// is 32-bit either way), so we build it once with offset 0 to learn its size, then for real.

import type { H264Stream } from './h264-encoder.js';
import {
  concatBytes,
  createBox,
  createFullBox,
  fixed16,
  fourcc,
  packLanguage,
  u8,
  u16,
  u32,
  UNITY_MATRIX,
  zeros,
} from './mp4-boxes.js';

export const MAJOR_BRAND = 'isom';
export const COMPATIBLE_BRANDS = ['isom', 'iso2', 'avc1', 'mp41'] as const;
/** Media ticks per frame; fps * 512 is what ffmpeg picks too (12288 for 24 fps). */
const TICKS_PER_FRAME = 512;
const MOVIE_TIMESCALE = 1000;
/** AVC samples carry NAL units behind 4-byte big-endian lengths (avcC lengthSizeMinusOne = 3). */
const NAL_LENGTH_SIZE = 4;

export interface VideoTrack {
  width: number;
  height: number;
  fps: number;
  stream: H264Stream;
}

/** ftyp + moov + mdat for one video track. */
export function createMp4File(track: VideoTrack): Uint8Array {
  const samples = track.stream.frames.map((nal) => concatBytes([u32(nal.length), nal]));
  const ftyp = createBox('ftyp', fourcc(MAJOR_BRAND), u32(0x200), ...COMPATIBLE_BRANDS.map(fourcc));
  const mdat = createBox('mdat', ...samples);
  const moovSize = createMoov(track, samples, 0).length;
  const moov = createMoov(track, samples, ftyp.length + moovSize + 8); // + the mdat header
  return concatBytes([ftyp, moov, mdat]);
}

function createMoov(track: VideoTrack, samples: readonly Uint8Array[], chunkOffset: number): Uint8Array {
  const timescale = track.fps * TICKS_PER_FRAME;
  const mediaDuration = samples.length * TICKS_PER_FRAME;
  const movieDuration = Math.round((samples.length * MOVIE_TIMESCALE) / track.fps);
  const mvhd = createFullBox(
    'mvhd', 0, 0,
    u32(0), u32(0), // creation / modification time: fixed, so equal inputs give equal bytes
    u32(MOVIE_TIMESCALE), u32(movieDuration),
    fixed16(1), u16(0x0100), zeros(10), // rate 1.0, volume 1.0, reserved
    UNITY_MATRIX, zeros(24), // pre_defined
    u32(2), // next_track_ID
  );
  const tkhd = createFullBox(
    'tkhd', 0, 0x000003, // track_enabled | track_in_movie
    u32(0), u32(0), u32(1), zeros(4), u32(movieDuration), // times, track_ID 1, reserved, duration
    zeros(8), u16(0), u16(0), u16(0), zeros(2), // reserved, layer, alternate_group, volume (video: 0), reserved
    UNITY_MATRIX, fixed16(track.width), fixed16(track.height),
  );
  const mdhd = createFullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(mediaDuration), packLanguage('und'), u16(0));
  const hdlr = createFullBox('hdlr', 0, 0, u32(0), fourcc('vide'), zeros(12), new TextEncoder().encode('VideoHandler\0'));
  const vmhd = createFullBox('vmhd', 0, 1, u16(0), zeros(6)); // flags 1 is mandated; graphicsmode copy
  const dinf = createBox('dinf', createFullBox('dref', 0, 0, u32(1), createFullBox('url ', 0, 1))); // 1 = media in this file
  const stbl = createBox('stbl', createStsd(track), ...createSampleTables(samples, chunkOffset));
  const minf = createBox('minf', vmhd, dinf, stbl);
  const trak = createBox('trak', tkhd, createBox('mdia', mdhd, hdlr, minf));
  return createBox('moov', mvhd, trak);
}

/** stsd with one avc1 VisualSampleEntry (14496-12 clause 12.1.3) holding the avcC record. */
function createStsd(track: VideoTrack): Uint8Array {
  const { stream } = track;
  const avcC = createBox(
    'avcC',
    // AVCDecoderConfigurationRecord, 14496-15 clause 5.3.3.1
    u8(1), u8(stream.profileIdc), u8(stream.constraintFlags), u8(stream.levelIdc),
    u8(0xfc | (NAL_LENGTH_SIZE - 1)), // reserved '111111' + lengthSizeMinusOne
    u8(0xe0 | 1), u16(stream.sps.length), stream.sps, // reserved '111' + numOfSequenceParameterSets
    u8(1), u16(stream.pps.length), stream.pps,
  );
  const compressorName = zeros(32); // a Pascal string: length byte, then the name
  const name = new TextEncoder().encode('bach-render');
  compressorName[0] = name.length;
  compressorName.set(name, 1);
  const avc1 = createBox(
    'avc1',
    zeros(6), u16(1), // reserved, data_reference_index
    zeros(16), u16(track.width), u16(track.height),
    u32(0x00480000), u32(0x00480000), zeros(4), u16(1), // 72 dpi, reserved, frame_count per sample
    compressorName, u16(0x0018), u16(0xffff), // depth 24, pre_defined -1
    avcC,
  );
  return createFullBox('stsd', 0, 0, u32(1), avc1);
}

/** stts, stss, stsc, stsz, stco: every sample lasts one frame, only the first is a sync sample, one chunk. */
function createSampleTables(samples: readonly Uint8Array[], chunkOffset: number): Uint8Array[] {
  const sizes = new Uint8Array(samples.length * 4);
  const view = new DataView(sizes.buffer);
  samples.forEach((sample, index) => view.setUint32(index * 4, sample.length));
  return [
    createFullBox('stts', 0, 0, u32(1), u32(samples.length), u32(TICKS_PER_FRAME)),
    createFullBox('stss', 0, 0, u32(1), u32(1)),
    createFullBox('stsc', 0, 0, u32(1), u32(1), u32(samples.length), u32(1)),
    createFullBox('stsz', 0, 0, u32(0), u32(samples.length), sizes),
    createFullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
  ];
}
