// The two kinds of coded picture we emit, H.264 clause 7.3.3 (slice header) and 7.3.4 (slice data).
//
// IDR: every macroblock is I_16x16 with no AC residual (cbp luma 0) and at most one non-zero DC
// coefficient per plane. With one coefficient at position 0, the luma DC Hadamard (8.5.10) and the
// chroma DC transform (8.5.11) spread it evenly, so every macroblock reconstructs to one flat colour.
// Prediction is chosen so the predictor is flat too: vertical from the flat macroblock above,
// horizontal from the flat one to the left, or DC (=128) for the first. That lets us track the exact
// decoder reconstruction with one number per plane and macroblock, and draw a gradient with it.
//
// P: one slice whose mb_skip_run covers the whole picture. P_Skip predicts a zero motion vector when
// the left neighbour is unavailable or itself has a zero vector into picture 0 (8.4.1.1); that holds
// from the first macroblock on, so each frame repeats the IDR picture exactly, in a few bytes.

import { BitWriter } from './bit-writer.js';
import type { FrameGeometry } from './h264-params.js';
import { LOG2_MAX_FRAME_NUM } from './h264-params.js';
import { createNalUnit, NAL_TYPE } from './nal.js';
import { chooseDcLevel, writeSingleDcBlock } from './h264-residual.js';

// mb_type I_16x16_<pred>_<cbpChroma>_0 = 1 + pred + 4 * cbpChroma (Table 7-11).
const LUMA_PRED = { vertical: 0, horizontal: 1, dc: 2 } as const;
// intra_chroma_pred_mode, Table 7-16.
const CHROMA_PRED = { dc: 0, horizontal: 1, vertical: 2 } as const;
const SLICE_TYPE = { pAll: 5, iAll: 7 } as const; // 5..9 = "every slice of the picture has this type"

/** Colour of macroblock (mx, my) as [Y, Cb, Cr]: a diagonal luma ramp over a two-axis colour ramp. */
export type Pattern = (mx: number, my: number) => readonly [number, number, number];

export function createGradientPattern(geometry: FrameGeometry): Pattern {
  const spanX = Math.max(1, geometry.widthMbs - 1);
  const spanY = Math.max(1, geometry.heightMbs - 1);
  return (mx, my) => {
    const u = mx / spanX;
    const v = my / spanY;
    return [Math.round(60 + 60 * (u + v)), Math.round(64 + 128 * u), Math.round(192 - 128 * v)];
  };
}

/**
 * The decisions for every macroblock of the IDR picture, in raster order, three entries per
 * macroblock (Y, Cb, Cr): the DC level coded, and the flat value the decoder reconstructs.
 */
export interface IdrPicturePlan {
  levels: Int16Array;
  colours: Uint8Array;
}

export function planIdrPicture(geometry: FrameGeometry, pattern: Pattern = createGradientPattern(geometry)): IdrPicturePlan {
  const { widthMbs, heightMbs } = geometry;
  const levels = new Int16Array(widthMbs * heightMbs * 3);
  const colours = new Uint8Array(widthMbs * heightMbs * 3);
  for (let my = 0; my < heightMbs; my++) {
    for (let mx = 0; mx < widthMbs; mx++) {
      const target = pattern(mx, my);
      const index = (my * widthMbs + mx) * 3;
      for (let plane = 0; plane < 3; plane++) {
        // The predictor is the flat value above (vertical), to the left (horizontal) or 128 (DC, 8.3.3).
        const neighbour = my > 0 ? index - widthMbs * 3 : mx > 0 ? index - 3 : -1;
        const predicted = neighbour >= 0 ? (colours[neighbour + plane] as number) : 128;
        const choice = chooseDcLevel(plane === 0 ? 'luma' : 'chroma', predicted, target[plane] as number);
        levels[index + plane] = choice.level;
        colours[index + plane] = choice.reconstructed;
      }
    }
  }
  return { levels, colours };
}

export function createIdrSliceNal(geometry: FrameGeometry, plan: IdrPicturePlan = planIdrPicture(geometry)): Uint8Array {
  const { widthMbs, heightMbs } = geometry;
  const w = new BitWriter(widthMbs * heightMbs * 6);
  w.writeUe(0); // first_mb_in_slice
  w.writeUe(SLICE_TYPE.iAll);
  w.writeUe(0); // pic_parameter_set_id
  w.writeBits(0, LOG2_MAX_FRAME_NUM); // frame_num: 0 for an IDR picture (7.4.3)
  w.writeUe(0); // idr_pic_id
  w.writeBit(0); // dec_ref_pic_marking: no_output_of_prior_pics_flag
  w.writeBit(0); // dec_ref_pic_marking: long_term_reference_flag
  w.writeSe(0); // slice_qp_delta: QP stays 26
  w.writeUe(1); // disable_deblocking_filter_idc: flat blocks need no filtering
  for (let my = 0; my < heightMbs; my++) {
    for (let mx = 0; mx < widthMbs; mx++) {
      const index = (my * widthMbs + mx) * 3;
      const [y, cb, cr] = [plan.levels[index] ?? 0, plan.levels[index + 1] ?? 0, plan.levels[index + 2] ?? 0];
      const lumaPred = my > 0 ? LUMA_PRED.vertical : mx > 0 ? LUMA_PRED.horizontal : LUMA_PRED.dc;
      const chromaPred = my > 0 ? CHROMA_PRED.vertical : mx > 0 ? CHROMA_PRED.horizontal : CHROMA_PRED.dc;
      const cbpChroma = cb !== 0 || cr !== 0 ? 1 : 0; // 1 = chroma DC only
      w.writeUe(1 + lumaPred + 4 * cbpChroma); // mb_type
      w.writeUe(chromaPred); // intra_chroma_pred_mode
      w.writeSe(0); // mb_qp_delta, always present for I_16x16
      writeSingleDcBlock(w, 'luma', y); // Intra16x16DCLevel
      if (cbpChroma) {
        writeSingleDcBlock(w, 'chroma', cb); // Cb ChromaDCLevel
        writeSingleDcBlock(w, 'chroma', cr); // Cr ChromaDCLevel
      }
    }
  }
  w.writeTrailingBits(); // rbsp_slice_trailing_bits
  return createNalUnit(3, NAL_TYPE.idrSlice, w.finish());
}

/** A P picture that repeats its reference; `frameNum` is the decoding index (wrapped here). */
export function createSkipSliceNal(geometry: FrameGeometry, frameNum: number): Uint8Array {
  const w = new BitWriter(16);
  w.writeUe(0); // first_mb_in_slice
  w.writeUe(SLICE_TYPE.pAll);
  w.writeUe(0); // pic_parameter_set_id
  w.writeBits(frameNum % 2 ** LOG2_MAX_FRAME_NUM, LOG2_MAX_FRAME_NUM); // frame_num
  w.writeBit(0); // num_ref_idx_active_override_flag
  w.writeBit(0); // ref_pic_list_modification_flag_l0
  w.writeBit(0); // dec_ref_pic_marking: adaptive_ref_pic_marking_mode_flag (sliding window)
  w.writeSe(0); // slice_qp_delta
  w.writeUe(1); // disable_deblocking_filter_idc
  w.writeUe(geometry.widthMbs * geometry.heightMbs); // mb_skip_run: the whole picture
  w.writeTrailingBits(); // more_rbsp_data() is now false, so the slice ends here
  return createNalUnit(2, NAL_TYPE.nonIdrSlice, w.finish());
}
