// The parameter sets of our streams: one SPS and one PPS, H.264 clauses 7.3.2.1 and 7.3.2.2.
// Constrained Baseline (A.2.1.1): profile_idc 66 with constraint_set0_flag and constraint_set1_flag,
// CAVLC, frames only, 4:2:0 8-bit, one reference frame.

import { BitWriter } from './bit-writer.js';
import { createNalUnit, NAL_TYPE } from './nal.js';

export const PROFILE_IDC_BASELINE = 66;
/** constraint_set0_flag | constraint_set1_flag: Baseline that also obeys Main = Constrained Baseline. */
export const CONSTRAINT_FLAGS = 0b1100_0000;
/** frame_num is u(8) in our slice headers; it wraps, which clause 7.4.3 allows. */
export const LOG2_MAX_FRAME_NUM = 8;

/** The coded picture (whole macroblocks) and the cropping that recovers the display size. */
export interface FrameGeometry {
  width: number;
  height: number;
  widthMbs: number;
  heightMbs: number;
  /** frame_crop_right_offset / frame_crop_bottom_offset, in crop units (2 luma samples, eq. 7-19/7-20). */
  cropRight: number;
  cropBottom: number;
}

/** Rounds the picture up to whole 16x16 macroblocks; 1080 is coded as 1088 and cropped by 8 rows. */
export function createFrameGeometry(width: number, height: number): FrameGeometry {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new RangeError(`video size must be positive integers of at least 2, got ${width}x${height}`);
  }
  if (width % 2 !== 0 || height % 2 !== 0) {
    // 4:2:0 with frame_mbs_only_flag = 1 crops in units of 2 luma samples (CropUnitX = SubWidthC = 2,
    // CropUnitY = SubHeightC * (2 - frame_mbs_only_flag) = 2), so odd sizes cannot be expressed.
    throw new RangeError(`video width and height must be even for 4:2:0 H.264, got ${width}x${height}`);
  }
  const widthMbs = Math.ceil(width / 16);
  const heightMbs = Math.ceil(height / 16);
  return {
    width,
    height,
    widthMbs,
    heightMbs,
    cropRight: (widthMbs * 16 - width) / 2,
    cropBottom: (heightMbs * 16 - height) / 2,
  };
}

export function createSpsNal(geometry: FrameGeometry, fps: number, levelIdc: number): Uint8Array {
  const w = new BitWriter(64);
  w.writeBits(PROFILE_IDC_BASELINE, 8);
  w.writeBits(CONSTRAINT_FLAGS, 8); // constraint_set0..5 flags + reserved_zero_2bits
  w.writeBits(levelIdc, 8);
  w.writeUe(0); // seq_parameter_set_id
  w.writeUe(LOG2_MAX_FRAME_NUM - 4); // log2_max_frame_num_minus4
  // pic_order_cnt_type 2: output order = decoding order, derived from frame_num (8.2.1.3), so slice
  // headers carry no POC fields. It forbids consecutive non-reference pictures; all ours are references.
  w.writeUe(2);
  w.writeUe(1); // max_num_ref_frames
  w.writeBit(0); // gaps_in_frame_num_value_allowed_flag
  w.writeUe(geometry.widthMbs - 1); // pic_width_in_mbs_minus1
  w.writeUe(geometry.heightMbs - 1); // pic_height_in_map_units_minus1 (= frame height in MBs: frames only)
  w.writeBit(1); // frame_mbs_only_flag
  w.writeBit(1); // direct_8x8_inference_flag
  const cropped = geometry.cropRight > 0 || geometry.cropBottom > 0;
  w.writeBit(cropped); // frame_cropping_flag
  if (cropped) {
    w.writeUe(0); // frame_crop_left_offset
    w.writeUe(geometry.cropRight);
    w.writeUe(0); // frame_crop_top_offset
    w.writeUe(geometry.cropBottom);
  }
  w.writeBit(1); // vui_parameters_present_flag
  writeVui(w, fps);
  w.writeTrailingBits();
  return createNalUnit(3, NAL_TYPE.sps, w.finish());
}

export function createPpsNal(): Uint8Array {
  const w = new BitWriter(16);
  w.writeUe(0); // pic_parameter_set_id
  w.writeUe(0); // seq_parameter_set_id
  w.writeBit(0); // entropy_coding_mode_flag: CAVLC
  w.writeBit(0); // bottom_field_pic_order_in_frame_present_flag
  w.writeUe(0); // num_slice_groups_minus1
  w.writeUe(0); // num_ref_idx_l0_default_active_minus1
  w.writeUe(0); // num_ref_idx_l1_default_active_minus1
  w.writeBit(0); // weighted_pred_flag
  w.writeBits(0, 2); // weighted_bipred_idc
  w.writeSe(0); // pic_init_qp_minus26: QP 26, the value the residual math in h264-slices.ts assumes
  w.writeSe(0); // pic_init_qs_minus26
  w.writeSe(0); // chroma_qp_index_offset
  w.writeBit(1); // deblocking_filter_control_present_flag: lets slices switch the filter off
  w.writeBit(0); // constrained_intra_pred_flag
  w.writeBit(0); // redundant_pic_cnt_present_flag
  w.writeTrailingBits();
  return createNalUnit(3, NAL_TYPE.pps, w.finish());
}

/** vui_parameters(), Annex E.1.1: BT.709 colour, the frame rate, and "no reordering" for decoders. */
function writeVui(w: BitWriter, fps: number): void {
  w.writeBit(0); // aspect_ratio_info_present_flag: square pixels by default
  w.writeBit(0); // overscan_info_present_flag
  w.writeBit(1); // video_signal_type_present_flag
  w.writeBits(5, 3); // video_format: unspecified
  w.writeBit(0); // video_full_range_flag: limited range
  w.writeBit(1); // colour_description_present_flag
  w.writeBits(1, 8); // colour_primaries: BT.709
  w.writeBits(1, 8); // transfer_characteristics: BT.709
  w.writeBits(1, 8); // matrix_coefficients: BT.709
  w.writeBit(0); // chroma_loc_info_present_flag
  w.writeBit(1); // timing_info_present_flag
  // A tick is one field period (E.2.1: frame rate = time_scale / (2 * num_units_in_tick)).
  w.writeBits(1, 32); // num_units_in_tick
  w.writeBits(2 * fps, 32); // time_scale
  w.writeBit(1); // fixed_frame_rate_flag
  w.writeBit(0); // nal_hrd_parameters_present_flag
  w.writeBit(0); // vcl_hrd_parameters_present_flag
  w.writeBit(0); // pic_struct_present_flag
  w.writeBit(1); // bitstream_restriction_flag
  w.writeBit(1); // motion_vectors_over_pic_boundaries_flag
  w.writeUe(0); // max_bytes_per_pic_denom: no limit
  w.writeUe(0); // max_bits_per_mb_denom: no limit
  w.writeUe(16); // log2_max_mv_length_horizontal (the default)
  w.writeUe(16); // log2_max_mv_length_vertical (the default)
  w.writeUe(0); // max_num_reorder_frames: output at once
  w.writeUe(1); // max_dec_frame_buffering: the one reference frame
}
