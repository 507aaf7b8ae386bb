// The emulator's video: an IDR picture showing a card (background, panel, text, timecode 00:00:00:00)
// followed by one P picture per frame that re-codes only the macroblocks under the timecode
// characters that changed, so every frame shows its own timecode for a few hundred bytes. Everything
// the MP4 muxer needs (parameter sets, profile and level, one NAL unit per frame) comes back as data.

import { createBlockPicture, type BlockPicture } from './block-picture.js';
import { createBackground } from './card-background.js';
import { createCardLayout, drawCard, drawTimecode, type VideoCard } from './card-layout.js';
import { chooseLevelIdc } from './h264-level.js';
import { CONSTRAINT_FLAGS, createFrameGeometry, createPpsNal, createSpsNal, PROFILE_IDC_BASELINE } from './h264-params.js';
import { createIdrSliceNal, createPSliceNal } from './h264-slices.js';
import { formatTimecode } from './timecode.js';

export interface H264Stream {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  sps: Uint8Array;
  pps: Uint8Array;
  /** One NAL unit (without start code or length prefix) per frame, in decoding order. */
  frames: readonly Uint8Array[];
}

export interface CardVideoOptions {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  card: VideoCard;
}

/**
 * Encodes the card video. `onFrame`, for tests, sees what the decoder holds after each frame
 * (the same object every time: copy what you keep).
 */
export function encodeCardVideo(options: CardVideoOptions, onFrame?: (frameIndex: number, picture: BlockPicture) => void): H264Stream {
  const geometry = createFrameGeometry(options.width, options.height);
  const levelIdc = chooseLevelIdc(geometry.widthMbs, geometry.heightMbs, options.fps);
  const layout = createCardLayout(geometry, options.card, formatTimecode(options.frameCount - 1, options.fps).length);
  const target = createBlockPicture(geometry);
  const recon = createBlockPicture(geometry);
  drawCard(target, layout, createBackground(options.card.key));
  let timecode = formatTimecode(0, options.fps);
  drawTimecode(target, layout, timecode, null);
  const frames: Uint8Array[] = [createIdrSliceNal(target, recon)];
  onFrame?.(0, recon);
  for (let index = 1; index < options.frameCount; index++) {
    const next = formatTimecode(index, options.fps);
    const changed = drawTimecode(target, layout, next, timecode);
    frames.push(createPSliceNal(target, recon, changed, index));
    timecode = next;
    onFrame?.(index, recon);
  }
  return {
    profileIdc: PROFILE_IDC_BASELINE,
    constraintFlags: CONSTRAINT_FLAGS,
    levelIdc,
    sps: createSpsNal(geometry, options.fps, levelIdc),
    pps: createPpsNal(),
    frames,
  };
}
