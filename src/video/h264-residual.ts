// One-coefficient residual blocks: choosing the level (from the exact decoder arithmetic at QP 26)
// and coding it with CAVLC, H.264 clause 9.2. Three kinds of block carry a single coefficient at
// scan position 0, which spreads evenly over the block, so each reconstructs to one flat value:
//   'luma'     Intra16x16DCLevel: the DC of a whole I_16x16 macroblock (step 0.81);
//   'luma4x4'  a 4x4 block of an I_NxN macroblock, coefficient c00 only (step 3.25);
//   'chroma'   ChromaDCLevel (4:2:0): the DC of a whole 8x8 chroma block (step 1.63).
//
// nC (9.2.1) for the luma kinds is the rounded mean of the neighbouring 4x4 blocks' coefficient
// counts. Ours are 0 (P_Skip, I_16x16 with cbp luma 0, or an I_NxN block coded empty) or 1, so nC is
// 0 or 1 and Table 9-5's 0 <= nC < 2 column always applies. ChromaDCLevel always uses nC = -1.

import type { BitWriter } from './bit-writer.js';

export type DcPlane = 'luma' | 'luma4x4' | 'chroma';

/** Largest |level| we code: keeps level_prefix at 15 (a 12-bit level_suffix), legal in Baseline. */
const MAX_LEVEL = 1000;

/** The residual every sample of the block gets from level `level` at scan position 0, at QP 26. */
export function residualForDcLevel(plane: DcPlane, level: number): number {
  // LevelScale4x4(26 % 6 = 2, 0, 0) = 16 * 13 = 208, and 26 / 6 = 4 (8.5.9).
  const dc =
    plane === 'luma'
      ? (208 * level + 2) >> 2 // 8.5.10: (f * LevelScale + 2^(5 - qP/6)) >> (6 - qP/6)
      : plane === 'luma4x4'
        ? 208 * level // 8.5.12.1, qP >= 24: (c * LevelScale) << (qP/6 - 4)
        : ((208 * level) << 4) >> 5; // 8.5.11.2: ((f * LevelScale) << (qP/6)) >> 5
  // 8.5.12.2: a 4x4 block holding only a DC value d transforms to d everywhere, then (x + 32) >> 6.
  return (dc + 32) >> 6;
}

/** The level that brings a flat `predicted` value nearest `target`, and the decoder's result. */
export function chooseDcLevel(
  plane: DcPlane,
  predicted: number,
  target: number,
): { level: number; reconstructed: number } {
  const step = plane === 'luma' ? 52 / 64 : plane === 'luma4x4' ? 208 / 64 : 104 / 64;
  const estimate = Math.round((target - predicted) / step);
  let best = { level: 0, reconstructed: predicted, error: Math.abs(target - predicted) };
  for (let level = estimate - 1; level <= estimate + 1; level++) {
    if (Math.abs(level) > MAX_LEVEL) continue;
    const reconstructed = clip255(predicted + residualForDcLevel(plane, level));
    const error = Math.abs(target - reconstructed);
    if (error < best.error || (error === best.error && Math.abs(level) < Math.abs(best.level))) {
      best = { level, reconstructed, error };
    }
  }
  return { level: best.level, reconstructed: best.reconstructed };
}

/**
 * residual_block_cavlc (7.3.5.3.3) for a block whose only non-zero coefficient is the first. Both
 * luma kinds have maxNumCoeff 16 and use the same tables (nC 0..1, Table 9-7 for total_zeros).
 */
export function writeSingleDcBlock(w: BitWriter, plane: DcPlane, level: number): void {
  const chroma = plane === 'chroma';
  if (level === 0) {
    w.writeBits(1, chroma ? 2 : 1); // coeff_token TotalCoeff 0: "01" (nC = -1) / "1" (nC = 0)
    return;
  }
  if (Math.abs(level) === 1) {
    w.writeBits(1, chroma ? 1 : 2); // coeff_token TrailingOnes 1, TotalCoeff 1: "1" / "01"
    w.writeBit(level < 0); // trailing_ones_sign_flag
  } else {
    w.writeBits(chroma ? 0b000111 : 0b000101, 6); // coeff_token TrailingOnes 0, TotalCoeff 1
    writeLevel(w, level);
  }
  // total_zeros = 0 (the coefficient sits at scan position 0): "1" in both Table 9-7 and 9-9a.
  // zerosLeft is then 0, so no run_before follows.
  w.writeBits(1, 1);
}

/** level_prefix / level_suffix for the first non-trailing-one coefficient, suffixLength 0 (9.2.2.1). */
function writeLevel(w: BitWriter, level: number): void {
  if (Math.abs(level) > MAX_LEVEL) throw new RangeError(`DC level ${level} is out of range`);
  // levelCode maps +1,-1,+2,-2,... to 0,1,2,3,...; the decoder adds 2 to the first level after
  // fewer than 3 trailing ones (a +-1 there would have been a trailing one), so we subtract it.
  const levelCode = (level > 0 ? 2 * level - 2 : -2 * level - 1) - 2;
  if (levelCode < 14) {
    w.writeBits(1, levelCode + 1); // level_prefix = levelCode: levelCode zeros then a one
  } else if (levelCode < 30) {
    w.writeBits(1, 15); // level_prefix 14 ...
    w.writeBits(levelCode - 14, 4); // ... with a 4-bit level_suffix
  } else {
    w.writeBits(1, 16); // level_prefix 15 (escape): levelCode = 15 + 15 + level_suffix
    w.writeBits(levelCode - 30, 12);
  }
}

function clip255(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}
