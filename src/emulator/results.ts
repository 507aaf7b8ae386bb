import { FPS_VALUES, frameSize } from '../contract/capabilities.js';
import { createMp4Layout, type Mp4Layout, type VideoCard } from '../video/index.js';
import type { Task } from './tasks.js';

// A task's result file: a real H.264 MP4 at the request's frame size, 24 fps and duration, tagged
// with the task id so that no two tasks' files are byte-identical. Its picture is a card that tells
// shots apart: the prompt's start, the seed and the size burnt in, a running timecode, over colours
// chosen by the request fingerprint (the same request looks the same, any other request differs).
// Built on demand at download time (never at start-up), a few milliseconds each; src/video caches the
// last encodings, so a HEAD, a GET and a resumed download of one result encode once. With
// `resultPaddingBytes` the file ends in a `free` box of that many zero bytes, which the CDN streams
// instead of holding.

export const RESULT_FPS = FPS_VALUES[0];

export function createResultLayout(task: Task, paddingBytes: number): Mp4Layout {
  const { width, height } = frameSize(task.resolution, task.aspectRatio);
  return createMp4Layout({
    width,
    height,
    fps: RESULT_FPS,
    durationSeconds: task.durationSeconds,
    tag: task.id,
    card: createResultCard(task, width, height),
    ...(paddingBytes > 0 ? { paddingBytes } : {}),
  });
}

/** What a task's result shows [decided]: the prompt, then `seed 42 · 1280x720 (720p, 16:9)`. */
function createResultCard(task: Task, width: number, height: number): VideoCard {
  const seed = task.seed === null ? 'none' : String(task.seed);
  return {
    key: task.fingerprint,
    title: task.prompt ?? '(no prompt)',
    lines: [`seed ${seed} \u00b7 ${width}x${height} (${task.resolution}, ${task.aspectRatio})`],
  };
}
