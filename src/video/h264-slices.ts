// The two kinds of coded picture we emit, H.264 clause 7.3.3 (slice header) and 7.3.4 (slice data),
// one slice per picture.
//
// IDR: every macroblock intra-coded from the target picture (h264-macroblock.ts).
// P: only the macroblocks whose blocks must change are coded (P_L0_16x16, vector 0, residual where
// needed); mb_skip_run covers the rest. Every macroblock of a P picture is inter with vector 0, so
// a P_Skip macroblock predicts vector 0 too (8.4.1.1) and repeats the previous picture exactly. Deblocking is off in every slice: flat blocks need no filtering, and
// it would blur the text and break the exact tracking of what the decoder holds.

import { BitWriter } from './bit-writer.js';
import type { BlockPicture } from './block-picture.js';
import { planInterMacroblock, writeInterMacroblock, writeIntraMacroblock } from './h264-macroblock.js';
import { LOG2_MAX_FRAME_NUM } from './h264-params.js';
import { createNalUnit, NAL_TYPE } from './nal.js';

const SLICE_TYPE = { pAll: 5, iAll: 7 } as const; // 5..9 = "every slice of the picture has this type"

/** The IDR picture of `target`; `recon` becomes what the decoder holds afterwards. */
export function createIdrSliceNal(target: BlockPicture, recon: BlockPicture): Uint8Array {
  const { widthMbs, heightMbs } = target.geometry;
  const w = new BitWriter(widthMbs * heightMbs * 8);
  w.writeUe(0); // first_mb_in_slice
  w.writeUe(SLICE_TYPE.iAll);
  w.writeUe(0); // pic_parameter_set_id
  w.writeBits(0, LOG2_MAX_FRAME_NUM); // frame_num: 0 for an IDR picture (7.4.3)
  w.writeUe(0); // idr_pic_id
  w.writeBit(0); // dec_ref_pic_marking: no_output_of_prior_pics_flag
  w.writeBit(0); // dec_ref_pic_marking: long_term_reference_flag
  w.writeSe(0); // slice_qp_delta: QP stays 26
  w.writeUe(1); // disable_deblocking_filter_idc
  for (let mbAddr = 0; mbAddr < widthMbs * heightMbs; mbAddr++) writeIntraMacroblock(w, target, recon, mbAddr);
  w.writeTrailingBits(); // rbsp_slice_trailing_bits
  return createNalUnit(3, NAL_TYPE.idrSlice, w.finish());
}

/**
 * A P picture that repeats its reference except where `target` differs within the `changed`
 * macroblocks (ascending addresses); `frameNum` is the decoding index (wrapped here).
 */
export function createPSliceNal(target: BlockPicture, recon: BlockPicture, changed: readonly number[], frameNum: number): Uint8Array {
  const { widthMbs, heightMbs } = target.geometry;
  const w = new BitWriter(16 + changed.length * 64);
  w.writeUe(0); // first_mb_in_slice
  w.writeUe(SLICE_TYPE.pAll);
  w.writeUe(0); // pic_parameter_set_id
  w.writeBits(frameNum % 2 ** LOG2_MAX_FRAME_NUM, LOG2_MAX_FRAME_NUM); // frame_num
  w.writeBit(0); // num_ref_idx_active_override_flag
  w.writeBit(0); // ref_pic_list_modification_flag_l0
  w.writeBit(0); // dec_ref_pic_marking: adaptive_ref_pic_marking_mode_flag (sliding window)
  w.writeSe(0); // slice_qp_delta
  w.writeUe(1); // disable_deblocking_filter_idc
  let next = 0; // the first macroblock not yet covered
  for (const mbAddr of changed) {
    const plan = planInterMacroblock(target, recon, mbAddr);
    if (!plan) continue; // every block already close enough: skipped
    w.writeUe(mbAddr - next); // mb_skip_run, also when 0: it precedes every coded macroblock
    writeInterMacroblock(w, recon, plan);
    next = mbAddr + 1;
  }
  const rest = widthMbs * heightMbs - next;
  // After the last coded macroblock, a final run (if any) ends the slice: more_rbsp_data() is then false.
  if (rest > 0) w.writeUe(rest);
  w.writeTrailingBits();
  return createNalUnit(2, NAL_TYPE.nonIdrSlice, w.finish());
}
