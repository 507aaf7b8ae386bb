// What the encoder believes the decoder holds (a BlockPicture) at full resolution, to compare with
// ffmpeg's output sample by sample.

import type { BlockPicture } from '../../../src/video/block-picture.js';

/** The picture cropped to the display size as planar yuv420p (Y, then Cb, then Cr). */
export function expandToYuv420(picture: BlockPicture): Uint8Array {
  const { width, height, widthMbs } = picture.geometry;
  const out = new Uint8Array(width * height * 1.5);
  for (let y = 0; y < height; y++) {
    const row = (y >> 2) * picture.stride;
    for (let x = 0; x < width; x++) out[y * width + x] = picture.luma[row + (x >> 2)] as number;
  }
  const [chromaWidth, chromaHeight] = [width / 2, height / 2];
  for (const [plane, values] of [[0, picture.cb], [1, picture.cr]] as const) {
    const base = width * height + plane * chromaWidth * chromaHeight;
    for (let y = 0; y < chromaHeight; y++) {
      for (let x = 0; x < chromaWidth; x++) out[base + y * chromaWidth + x] = values[(y >> 3) * widthMbs + (x >> 3)] as number;
    }
  }
  return out;
}

/** A deep copy (the encoder hands out one picture it keeps changing). */
export function copyPicture(picture: BlockPicture): BlockPicture {
  return { ...picture, luma: picture.luma.slice(), cb: picture.cb.slice(), cr: picture.cr.slice() };
}
