// A picture as the H.264 coder sees it: one luma value per 4x4 block and one Cb/Cr pair per
// macroblock. Every picture we code is flat at that granularity (text is drawn with font pixels of
// whole 4x4 blocks, backgrounds are flat per macroblock), so the same type holds both what we want
// (the target) and what the decoder has (the reconstruction), and a frame costs 1/16 of its pixels.

import { readGlyph, GLYPH_HEIGHT, GLYPH_WIDTH } from './bitmap-font.js';
import type { FrameGeometry } from './h264-params.js';

export interface BlockPicture {
  readonly geometry: FrameGeometry;
  /** 4x4 blocks per row of the coded picture (widthMbs * 4). */
  readonly stride: number;
  /** Row-major over the coded picture: every sample of block (bx, by) has luma[by * stride + bx]. */
  readonly luma: Uint8Array;
  /** One value per macroblock, raster order: all 8x8 chroma samples of the macroblock. */
  readonly cb: Uint8Array;
  readonly cr: Uint8Array;
}

/** A picture of one flat colour (the decoder's starting point is irrelevant: the IDR codes every block). */
export function createBlockPicture(geometry: FrameGeometry, colour: readonly [number, number, number] = [16, 128, 128]): BlockPicture {
  const stride = geometry.widthMbs * 4;
  const macroblocks = geometry.widthMbs * geometry.heightMbs;
  return {
    geometry,
    stride,
    luma: new Uint8Array(stride * geometry.heightMbs * 4).fill(colour[0]),
    cb: new Uint8Array(macroblocks).fill(colour[1]),
    cr: new Uint8Array(macroblocks).fill(colour[2]),
  };
}

/**
 * Sets the luma of a rectangle in pixels (x, y, width, height: multiples of 4), clipped to the
 * coded picture; calls `touch` once per macroblock address it covers, when given.
 */
export function fillLuma(
  picture: BlockPicture,
  rect: { x: number; y: number; width: number; height: number },
  value: number,
  touch?: (mbAddr: number) => void,
): void {
  const { stride } = picture;
  const rows = picture.luma.length / stride;
  const bx0 = Math.max(0, rect.x >> 2);
  const by0 = Math.max(0, rect.y >> 2);
  const bx1 = Math.min(stride, (rect.x + rect.width) >> 2);
  const by1 = Math.min(rows, (rect.y + rect.height) >> 2);
  for (let by = by0; by < by1; by++) picture.luma.fill(value, by * stride + bx0, by * stride + bx1);
  if (!touch || bx1 <= bx0 || by1 <= by0) return;
  const widthMbs = picture.geometry.widthMbs;
  for (let my = by0 >> 2; my <= (by1 - 1) >> 2; my++) {
    for (let mx = bx0 >> 2; mx <= (bx1 - 1) >> 2; mx++) touch(my * widthMbs + mx);
  }
}

/**
 * Draws one character at (x, y) with font pixels of `scale` x `scale` (a multiple of 4): the glyph's
 * 5x7 box is first cleared to `background`, then its pixels are set to `foreground`.
 */
export function drawGlyph(
  picture: BlockPicture,
  char: string,
  at: { x: number; y: number; scale: number },
  colours: { foreground: number; background: number },
  touch?: (mbAddr: number) => void,
): void {
  const { x, y, scale } = at;
  fillLuma(picture, { x, y, width: GLYPH_WIDTH * scale, height: GLYPH_HEIGHT * scale }, colours.background, touch);
  const glyph = readGlyph(char);
  for (let row = 0; row < GLYPH_HEIGHT; row++) {
    const bits = glyph[row] as number;
    for (let col = 0; col < GLYPH_WIDTH; col++) {
      if (bits & (1 << (GLYPH_WIDTH - 1 - col))) {
        fillLuma(picture, { x: x + col * scale, y: y + row * scale, width: scale, height: scale }, colours.foreground);
      }
    }
  }
}
