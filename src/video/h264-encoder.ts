// A still-picture H.264 stream: one IDR picture followed by P pictures that repeat it. Everything the
// MP4 muxer needs (parameter sets, profile and level, one NAL unit per frame) comes back as data.

import {
  CONSTRAINT_FLAGS,
  createFrameGeometry,
  createPpsNal,
  createSpsNal,
  LOG2_MAX_FRAME_NUM,
  PROFILE_IDC_BASELINE,
} from './h264-params.js';
import { chooseLevelIdc } from './h264-level.js';
import { createIdrSliceNal, createSkipSliceNal } from './h264-slices.js';

export interface H264Stream {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  sps: Uint8Array;
  pps: Uint8Array;
  /** One NAL unit (without start code or length prefix) per frame, in decoding order. */
  frames: readonly Uint8Array[];
}

export function encodeStillVideo(options: { width: number; height: number; fps: number; frameCount: number }): H264Stream {
  const geometry = createFrameGeometry(options.width, options.height);
  const levelIdc = chooseLevelIdc(geometry.widthMbs, geometry.heightMbs, options.fps);
  const frames: Uint8Array[] = [createIdrSliceNal(geometry)];
  // P pictures differ only in frame_num, which wraps at 2^LOG2_MAX_FRAME_NUM: code each value once.
  const skipSlices = new Map<number, Uint8Array>();
  for (let index = 1; index < options.frameCount; index++) {
    const frameNum = index % 2 ** LOG2_MAX_FRAME_NUM;
    let slice = skipSlices.get(frameNum);
    if (!slice) skipSlices.set(frameNum, (slice = createSkipSliceNal(geometry, frameNum)));
    frames.push(slice);
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
