// Reading the picture size out of a sequence parameter set, H.264 clause 7.3.2.1.1. The display size
// is the coded size (whole macroblocks) minus the frame cropping, whose units depend on the chroma
// format and on frame_mbs_only_flag (equations 7-19 to 7-22). Handles the High-profile fields too,
// so files from other encoders (x264's High profile) parse.

import { BitReader } from './bit-reader.js';
import { readNalUnitType, readRbsp, NAL_TYPE } from './nal.js';

export interface SpsInfo {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  chromaFormatIdc: number;
  frameMbsOnly: boolean;
  /** The decoded picture, whole macroblocks. */
  codedWidth: number;
  codedHeight: number;
  /** In luma samples. */
  crop: { left: number; right: number; top: number; bottom: number };
  /** The display size: coded size minus cropping. */
  width: number;
  height: number;
}

// profile_idc values whose SPS carries chroma_format_idc and friends (7.3.2.1.1).
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Parses an SPS NAL unit (header byte included, emulation prevention still present). */
export function parseSps(nal: Uint8Array): SpsInfo {
  if (readNalUnitType(nal) !== NAL_TYPE.sps) throw new RangeError(`NAL unit type ${readNalUnitType(nal)} is not an SPS`);
  const r = new BitReader(readRbsp(nal));
  const profileIdc = r.readBits(8);
  const constraintFlags = r.readBits(8);
  const levelIdc = r.readBits(8);
  r.readUe(); // seq_parameter_set_id
  let chromaFormatIdc = 1; // inferred 4:2:0 when absent
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.readUe();
    if (chromaFormatIdc === 3) separateColourPlane = r.readFlag();
    r.readUe(); // bit_depth_luma_minus8
    r.readUe(); // bit_depth_chroma_minus8
    r.readFlag(); // qpprime_y_zero_transform_bypass_flag
    if (r.readFlag()) skipScalingLists(r, chromaFormatIdc !== 3 ? 8 : 12); // seq_scaling_matrix_present_flag
  }
  r.readUe(); // log2_max_frame_num_minus4
  const picOrderCntType = r.readUe();
  if (picOrderCntType === 0) {
    r.readUe(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (picOrderCntType === 1) {
    r.readFlag(); // delta_pic_order_always_zero_flag
    r.readSe(); // offset_for_non_ref_pic
    r.readSe(); // offset_for_top_to_bottom_field
    const cycle = r.readUe(); // num_ref_frames_in_pic_order_cnt_cycle
    for (let i = 0; i < cycle; i++) r.readSe();
  }
  r.readUe(); // max_num_ref_frames
  r.readFlag(); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.readUe() + 1;
  const heightMapUnits = r.readUe() + 1;
  const frameMbsOnly = r.readFlag();
  if (!frameMbsOnly) r.readFlag(); // mb_adaptive_frame_field_flag
  r.readFlag(); // direct_8x8_inference_flag
  const cropOffsets = r.readFlag() ? [r.readUe(), r.readUe(), r.readUe(), r.readUe()] : [0, 0, 0, 0];

  const codedWidth = widthMbs * 16;
  const codedHeight = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16; // eq. 7-18: map units are field MB rows
  const [cropUnitX, cropUnitY] = computeCropUnits(separateColourPlane ? 0 : chromaFormatIdc, frameMbsOnly);
  const [left = 0, right = 0, top = 0, bottom = 0] = cropOffsets;
  const crop = { left: left * cropUnitX, right: right * cropUnitX, top: top * cropUnitY, bottom: bottom * cropUnitY };
  const width = codedWidth - crop.left - crop.right;
  const height = codedHeight - crop.top - crop.bottom;
  if (width <= 0 || height <= 0) throw new RangeError(`SPS cropping leaves no picture (${width}x${height})`);
  return { profileIdc, constraintFlags, levelIdc, chromaFormatIdc, frameMbsOnly, codedWidth, codedHeight, crop, width, height };
}

/** CropUnitX/CropUnitY, equations 7-19..7-22 (ChromaArrayType 0 = monochrome or separate planes). */
export function computeCropUnits(chromaArrayType: number, frameMbsOnly: boolean): [number, number] {
  const fieldFactor = frameMbsOnly ? 1 : 2;
  if (chromaArrayType === 0) return [1, fieldFactor];
  const subWidthC = chromaArrayType === 3 ? 1 : 2; // Table 6-1
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  return [subWidthC, subHeightC * fieldFactor];
}

/** scaling_list() syntax, 7.3.2.1.1.1: only read to get past it. */
function skipScalingLists(r: BitReader, count: number): void {
  for (let i = 0; i < count; i++) {
    if (!r.readFlag()) continue; // seq_scaling_list_present_flag[i]
    const size = i < 6 ? 16 : 64;
    let lastScale = 8;
    let nextScale = 8;
    for (let j = 0; j < size && nextScale !== 0; j++) {
      nextScale = (lastScale + r.readSe() + 256) % 256;
      if (nextScale !== 0) lastScale = nextScale;
    }
  }
}
