// The AVC sample entry and its AVCDecoderConfigurationRecord (ISO/IEC 14496-15 clause 5.3.3.1):
// where the SPS/PPS live in an MP4 and how long the NAL length prefixes in the samples are.

import { findBox, Mp4FormatError, PayloadReader, readChildren, type Box } from './mp4-box-reader.js';
import { parseSps, type SpsInfo } from './sps-parser.js';

export interface AvcConfig {
  sampleEntryType: 'avc1' | 'avc3';
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  nalLengthSize: number;
  sps: SpsInfo;
}

/** VisualSampleEntry fields before its child boxes (14496-12 clause 12.1.3): 6+2+16+4+4+4+4+2+32+2+2. */
const VISUAL_SAMPLE_ENTRY_FIELDS = 78;

/** Reads the first sample entry of an `stsd` box, which must be AVC. */
export function readAvcConfig(bytes: Uint8Array, stsd: Box): AvcConfig {
  const reader = new PayloadReader(bytes, stsd);
  reader.fullBoxHeader();
  if (reader.u32() < 1) throw new Mp4FormatError(`'${stsd.path}' lists no sample entries`);
  const [entry] = readChildren(bytes, stsd, 8);
  if (!entry) throw new Mp4FormatError(`'${stsd.path}' lists no sample entries`);
  if (entry.type !== 'avc1' && entry.type !== 'avc3') {
    throw new Mp4FormatError(`the video track's codec is '${entry.type}', expected H.264 ('avc1')`);
  }
  const avcC = findBox(readChildren(bytes, entry, VISUAL_SAMPLE_ENTRY_FIELDS), 'avcC');
  if (!avcC) throw new Mp4FormatError(`'${entry.path}' has no 'avcC' decoder configuration`);

  const r = new PayloadReader(bytes, avcC);
  const version = r.u8();
  if (version !== 1) throw new Mp4FormatError(`'${avcC.path}' has configurationVersion ${version}, expected 1`);
  const profileIdc = r.u8();
  const constraintFlags = r.u8();
  const levelIdc = r.u8();
  const nalLengthSize = (r.u8() & 0b11) + 1;
  const spsCount = r.u8() & 0b1_1111;
  if (spsCount === 0) throw new Mp4FormatError(`'${avcC.path}' holds no sequence parameter set`);
  const spsNal = r.bytesOf(r.u16());
  let sps: SpsInfo;
  try {
    sps = parseSps(spsNal);
  } catch (error) {
    throw new Mp4FormatError(`the sequence parameter set in '${avcC.path}' is malformed: ${(error as Error).message}`);
  }
  return { sampleEntryType: entry.type, profileIdc, constraintFlags, levelIdc, nalLengthSize, sps };
}
