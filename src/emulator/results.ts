import { FPS_VALUES, frameSize } from '../contract/capabilities.js';
import { createMp4Layout, type Mp4Layout } from '../video/index.js';
import type { Task } from './tasks.js';

// A task's result file: a real H.264 MP4 at the request's frame size, 24 fps and duration, tagged
// with the task id so that no two tasks' files are byte-identical. Built on demand at download time
// (never at start-up); src/video caches the encoding per (size, fps, duration), so the per-task cost
// is a copy plus the tag box. With `resultPaddingBytes` the file ends in a `free` box of that many
// zero bytes, which the CDN streams instead of holding.

export const RESULT_FPS = FPS_VALUES[0];

export function createResultLayout(task: Task, paddingBytes: number): Mp4Layout {
  const { width, height } = frameSize(task.resolution, task.aspectRatio);
  return createMp4Layout({
    width,
    height,
    fps: RESULT_FPS,
    durationSeconds: task.durationSeconds,
    tag: task.id,
    ...(paddingBytes > 0 ? { paddingBytes } : {}),
  });
}
