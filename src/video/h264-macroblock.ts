// The macroblocks we code (7.3.5 macroblock_layer), each chosen so that we know exactly what the
// decoder reconstructs; that reconstruction is written back into `recon`.
//
// Intra (every macroblock of the IDR picture):
// - A macroblock whose target luma is one value is I_16x16 with a DC residual only: prediction
//   vertical or horizontal when the neighbouring edge is flat, else DC (the mean of both edges, 8.3.3),
//   whichever lands nearest the target.
// - Otherwise it is I_NxN (Intra_4x4): each 4x4 block uses DC prediction (8.3.1.2.3), which is flat
//   because every neighbouring block is flat, plus a residual of one coefficient (c00). Every mode is
//   DC, which is also what the decoder predicts the mode to be (8.3.1.1: DC when a neighbour is not
//   Intra_4x4 or not available, else the minimum of two DC modes), so each mode costs one bit.
// - Chroma is flat per macroblock: vertical from the macroblock above, else horizontal from the left,
//   else DC (128 in the top-left corner), plus a DC residual.
//
// Inter (P pictures, where the timecode changed): P_L0_16x16 with motion vector 0 — the vector every
// neighbour has, so the predicted vector is 0 and both mvd are 0 (8.4.1.3) — which copies the
// previous picture, plus a c00 residual in just the 4x4 blocks that must change. Blocks that keep
// their value get no residual and stay exactly as they were: re-coding them intra would round them
// afresh and make the text around the timecode flicker by a level or two.

import type { BitWriter } from './bit-writer.js';
import type { BlockPicture } from './block-picture.js';
import { chooseDcLevel, writeSingleDcBlock } from './h264-residual.js';

const LUMA_PRED = { vertical: 0, horizontal: 1, dc: 2 } as const; // Intra16x16PredMode, Table 8-4
const CHROMA_PRED = { dc: 0, horizontal: 1, vertical: 2 } as const; // intra_chroma_pred_mode, Table 7-16

/** luma4x4BlkIdx → (x, y) in blocks inside the macroblock (6.4.3: 8x8 quadrants in Z order). */
const BLOCK_X = [0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3];
const BLOCK_Y = [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3];

/** coded_block_pattern → codeNum (Table 9-4, chroma_format_idc 1: the Intra_4x4 and the Inter column, inverted). */
const INTRA_CBP_CODE_NUM = invert([
  47, 31, 15, 0, 23, 27, 29, 30, 7, 11, 13, 14, 39, 43, 45, 46, 16, 3, 5, 10, 12, 19, 21, 26, 28, 35, 37, 42, 44, 1, 2,
  4, 8, 17, 18, 20, 24, 6, 9, 22, 25, 32, 33, 34, 36, 40, 38, 41,
]);
const INTER_CBP_CODE_NUM = invert([
  0, 16, 1, 2, 4, 8, 32, 3, 5, 10, 12, 15, 47, 7, 11, 13, 14, 6, 9, 31, 35, 37, 42, 44, 33, 34, 36, 40, 39, 43, 45, 46,
  17, 18, 20, 24, 19, 21, 26, 28, 23, 27, 29, 30, 22, 25, 38, 41,
]);

/** A P macroblock's update: per 4x4 block (luma4x4BlkIdx order) the c00 level and the value it gives. */
export interface InterMacroblockPlan {
  mbAddr: number;
  levels: Int16Array;
  values: Uint8Array;
  cbpLuma: number;
}

/**
 * Plans a P_L0_16x16 update that brings the luma of macroblock `mbAddr` from the previous picture
 * (`recon`) to `target`; null when no block needs to change. Chroma is copied as it is: only the
 * timecode changes after the IDR picture, and it is drawn in luma on the neutral panel.
 */
export function planInterMacroblock(target: BlockPicture, recon: BlockPicture, mbAddr: number): InterMacroblockPlan | null {
  const levels = new Int16Array(16);
  const values = new Uint8Array(16);
  let cbpLuma = 0;
  for (let blkIdx = 0; blkIdx < 16; blkIdx++) {
    const index = blockIndex(recon, mbAddr, blkIdx);
    const current = recon.luma[index] as number;
    const goal = target.luma[index] as number;
    values[blkIdx] = current;
    // Within 1 of the goal, no level gets closer (the step is 3.25): the usual case, decided cheaply.
    if (Math.abs(goal - current) <= 1) continue;
    const choice = chooseDcLevel('luma4x4', current, goal);
    levels[blkIdx] = choice.level;
    values[blkIdx] = choice.reconstructed;
    if (choice.level !== 0) cbpLuma |= 1 << (blkIdx >> 2);
  }
  return cbpLuma === 0 ? null : { mbAddr, levels, values, cbpLuma };
}

/** Writes a planned P_L0_16x16 macroblock and applies it to `recon`. */
export function writeInterMacroblock(w: BitWriter, recon: BlockPicture, plan: InterMacroblockPlan): void {
  w.writeUe(0); // mb_type P_L0_16x16 (no ref_idx_l0: one reference picture)
  w.writeSe(0); // mvd_l0 x: the vector is 0, as predicted
  w.writeSe(0); // mvd_l0 y
  w.writeUe(INTER_CBP_CODE_NUM[plan.cbpLuma] as number); // coded_block_pattern, chroma 0
  w.writeSe(0); // mb_qp_delta (present: cbp > 0)
  for (let blkIdx = 0; blkIdx < 16; blkIdx++) {
    if (!(plan.cbpLuma & (1 << (blkIdx >> 2)))) continue; // an 8x8 quadrant without residual
    writeSingleDcBlock(w, 'luma4x4', plan.levels[blkIdx] as number);
    recon.luma[blockIndex(recon, plan.mbAddr, blkIdx)] = plan.values[blkIdx] as number;
  }
}

function blockIndex(picture: BlockPicture, mbAddr: number, blkIdx: number): number {
  const { widthMbs } = picture.geometry;
  const by = Math.floor(mbAddr / widthMbs) * 4 + (BLOCK_Y[blkIdx] as number);
  return by * picture.stride + (mbAddr % widthMbs) * 4 + (BLOCK_X[blkIdx] as number);
}

export function writeIntraMacroblock(w: BitWriter, target: BlockPicture, recon: BlockPicture, mbAddr: number): void {
  const { widthMbs } = target.geometry;
  const mx = mbAddr % widthMbs;
  const my = Math.floor(mbAddr / widthMbs);
  const chroma = planChroma(target, recon, mbAddr, mx, my);
  if (isFlat(target, mx, my)) writeIntra16x16(w, target, recon, mx, my, chroma);
  else writeIntraNxN(w, target, recon, mx, my, chroma);
  recon.cb[mbAddr] = chroma.cb.reconstructed;
  recon.cr[mbAddr] = chroma.cr.reconstructed;
}

interface ChromaPlan {
  mode: number;
  cb: { level: number; reconstructed: number };
  cr: { level: number; reconstructed: number };
  cbp: 0 | 1;
}

function planChroma(target: BlockPicture, recon: BlockPicture, mbAddr: number, mx: number, my: number): ChromaPlan {
  const { widthMbs } = target.geometry;
  const neighbour = my > 0 ? mbAddr - widthMbs : mx > 0 ? mbAddr - 1 : -1;
  const mode = my > 0 ? CHROMA_PRED.vertical : mx > 0 ? CHROMA_PRED.horizontal : CHROMA_PRED.dc;
  const predicted = (plane: Uint8Array) => (neighbour >= 0 ? (plane[neighbour] as number) : 128);
  const cb = chooseDcLevel('chroma', predicted(recon.cb), target.cb[mbAddr] as number);
  const cr = chooseDcLevel('chroma', predicted(recon.cr), target.cr[mbAddr] as number);
  return { mode, cb, cr, cbp: cb.level !== 0 || cr.level !== 0 ? 1 : 0 };
}

function writeIntra16x16(w: BitWriter, target: BlockPicture, recon: BlockPicture, mx: number, my: number, chroma: ChromaPlan): void {
  const { stride } = target;
  const luma = recon.luma;
  const bx = mx * 4;
  const by = my * 4;
  const goal = target.luma[by * stride + bx] as number;
  // The edges as flat 4-sample runs: each block contributes 4 equal samples to 8.3.3.3's sums.
  const above = my > 0 ? readEdge(luma, (by - 1) * stride + bx, 1) : null;
  const left = mx > 0 ? readEdge(luma, by * stride + bx - 1, stride) : null;
  const sum = (above?.sum ?? 0) + (left?.sum ?? 0);
  const dc = above && left ? (sum + 16) >> 5 : above || left ? (sum + 8) >> 4 : 128;
  let mode: number = LUMA_PRED.dc;
  let predicted = dc;
  // Vertical, then horizontal, then DC: the first of those nearest the goal (a flat edge only).
  if (left?.flat && Math.abs(goal - left.value) <= Math.abs(goal - predicted)) [mode, predicted] = [LUMA_PRED.horizontal, left.value];
  if (above?.flat && Math.abs(goal - above.value) <= Math.abs(goal - predicted)) [mode, predicted] = [LUMA_PRED.vertical, above.value];
  const choice = chooseDcLevel('luma', predicted, goal);

  w.writeUe(1 + mode + 4 * chroma.cbp); // mb_type I_16x16_<mode>_<cbpChroma>_0 (Table 7-11)
  w.writeUe(chroma.mode);
  w.writeSe(0); // mb_qp_delta, always present for I_16x16
  writeSingleDcBlock(w, 'luma', choice.level); // Intra16x16DCLevel; no AC (cbp luma 0)
  writeChromaDc(w, chroma);
  for (let y = 0; y < 4; y++) luma.fill(choice.reconstructed, (by + y) * stride + bx, (by + y) * stride + bx + 4);
}

/** Four blocks from `start`, `step` apart: their sample sum (4 samples each) and whether they are equal. */
function readEdge(luma: Uint8Array, start: number, step: number): { sum: number; flat: boolean; value: number } {
  const value = luma[start] as number;
  let sum = 0;
  let flat = true;
  for (let k = 0; k < 4; k++) {
    const v = luma[start + k * step] as number;
    sum += 4 * v;
    if (v !== value) flat = false;
  }
  return { sum, flat, value };
}

function writeIntraNxN(w: BitWriter, target: BlockPicture, recon: BlockPicture, mx: number, my: number, chroma: ChromaPlan): void {
  const { stride } = target;
  const levels = new Int16Array(16);
  let cbpLuma = 0;
  for (let blkIdx = 0; blkIdx < 16; blkIdx++) {
    const bx = mx * 4 + (BLOCK_X[blkIdx] as number);
    const by = my * 4 + (BLOCK_Y[blkIdx] as number);
    const index = by * stride + bx;
    // Blocks above and to the left are decoded before this one (6.4.3 order), in this or an earlier macroblock.
    const above = by > 0 ? (recon.luma[index - stride] as number) : -1;
    const left = bx > 0 ? (recon.luma[index - 1] as number) : -1;
    const predicted = above >= 0 && left >= 0 ? (4 * above + 4 * left + 4) >> 3 : above >= 0 ? above : left >= 0 ? left : 128;
    const choice = chooseDcLevel('luma4x4', predicted, target.luma[index] as number);
    levels[blkIdx] = choice.level;
    recon.luma[index] = choice.reconstructed;
    if (choice.level !== 0) cbpLuma |= 1 << (blkIdx >> 2);
  }

  w.writeUe(0); // mb_type I_NxN
  for (let blkIdx = 0; blkIdx < 16; blkIdx++) w.writeBit(1); // prev_intra4x4_pred_mode_flag: the predicted mode (DC)
  w.writeUe(chroma.mode);
  const cbp = cbpLuma | (chroma.cbp << 4);
  w.writeUe(INTRA_CBP_CODE_NUM[cbp] as number); // coded_block_pattern, me(v)
  if (cbp === 0) return;
  w.writeSe(0); // mb_qp_delta
  for (let blkIdx = 0; blkIdx < 16; blkIdx++) {
    if (cbpLuma & (1 << (blkIdx >> 2))) writeSingleDcBlock(w, 'luma4x4', levels[blkIdx] as number);
  }
  writeChromaDc(w, chroma);
}

function writeChromaDc(w: BitWriter, chroma: ChromaPlan): void {
  if (!chroma.cbp) return;
  writeSingleDcBlock(w, 'chroma', chroma.cb.level);
  writeSingleDcBlock(w, 'chroma', chroma.cr.level);
}

function isFlat(target: BlockPicture, mx: number, my: number): boolean {
  const { stride, luma } = target;
  const first = luma[my * 4 * stride + mx * 4];
  for (let y = 0; y < 4; y++) {
    const row = (my * 4 + y) * stride + mx * 4;
    for (let x = 0; x < 4; x++) if (luma[row + x] !== first) return false;
  }
  return true;
}

function invert(codeNumToCbp: readonly number[]): Uint8Array {
  const out = new Uint8Array(codeNumToCbp.length);
  codeNumToCbp.forEach((cbp, codeNum) => (out[cbp] = codeNum));
  return out;
}
