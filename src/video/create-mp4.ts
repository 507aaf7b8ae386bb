// The entry points the emulator calls: an H.264 video in MP4 whose size, frame rate and duration
// match a request, showing a card (its text and a background chosen by its key) and a running
// timecode. Encoding is the costly step (a few milliseconds, see `npm run bench`) and depends only on
// the picture's inputs, so the encoded file is kept in a small LRU cache (a HEAD, a GET and a resumed
// download of one result encode once); the tag box is appended per call.

import type { VideoCard } from './card-layout.js';
import { encodeCardVideo } from './h264-encoder.js';
import { LruCache } from './lru-cache.js';
import { concatBytes } from './mp4-boxes.js';
import { createPaddedLayout, type Mp4Layout, type PaddingRequest } from './mp4-layout.js';
import { createMp4File } from './mp4-muxer.js';
import { createTagBox } from './mp4-tag.js';

export interface Mp4Options {
  /** Display width in pixels; even. */
  width: number;
  /** Display height in pixels; even. */
  height: number;
  /** Frames per second; a whole number. */
  fps: number;
  /** Any positive number of seconds; the file has round(fps * durationSeconds) frames. */
  durationSeconds: number;
  /** Stored in a metadata box: different tags give different bytes and identical pictures. */
  tag?: string;
  /** What the picture shows besides the timecode; default: no text, a background chosen by the size. */
  card?: VideoCard;
}

export interface Mp4LayoutOptions extends Mp4Options {
  /** The exact size of the file; the rest is a trailing `free` box. */
  totalSize?: number;
  /** Or: the number of zero bytes in a trailing `free` box. */
  paddingBytes?: number;
}

const MAX_FPS = 1000;
const MAX_FRAMES = 1_000_000;
// A 1080p 6 s file is ~100 KB, so 36 entries stay within a few megabytes.
const encodedFiles = new LruCache<string, Uint8Array>(36);

export function createMp4(options: Mp4Options): Uint8Array {
  const encoded = readEncodedFile(options);
  // Always a fresh array: callers may keep or modify it without touching the cache.
  return options.tag === undefined ? encoded.slice() : concatBytes([encoded, createTagBox(options.tag)]);
}

/** A file described as head + streamed zero padding, for downloads too large to hold in memory. */
export function createMp4Layout(options: Mp4LayoutOptions): Mp4Layout {
  if (options.totalSize !== undefined && options.paddingBytes !== undefined) {
    throw new TypeError('createMp4Layout: give totalSize or paddingBytes, not both');
  }
  const padding: PaddingRequest | undefined =
    options.totalSize !== undefined
      ? { totalSize: options.totalSize }
      : options.paddingBytes !== undefined
        ? { paddingBytes: options.paddingBytes }
        : undefined;
  return createPaddedLayout(createMp4(options), padding);
}

/** round(fps x durationSeconds), validated. */
export function computeFrameCount(fps: number, durationSeconds: number): number {
  if (!Number.isInteger(fps) || fps < 1 || fps > MAX_FPS) {
    throw new RangeError(`fps must be a whole number from 1 to ${MAX_FPS}, got ${fps}`);
  }
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new RangeError(`durationSeconds must be a positive number, got ${durationSeconds}`);
  }
  const frameCount = Math.round(fps * durationSeconds);
  if (frameCount < 1) throw new RangeError(`${durationSeconds} s at ${fps} fps is less than one frame`);
  if (frameCount > MAX_FRAMES) throw new RangeError(`${durationSeconds} s at ${fps} fps exceeds ${MAX_FRAMES} frames`);
  return frameCount;
}

/** Forgets every cached encoding (for timing measurements and tests). */
export function clearMp4Cache(): void {
  encodedFiles.clear();
}

function readEncodedFile(options: Mp4Options): Uint8Array {
  const { width, height, fps } = options;
  const frameCount = computeFrameCount(fps, options.durationSeconds);
  const card: VideoCard = options.card ?? { key: `${width}x${height}`, title: '' };
  const key = JSON.stringify([width, height, fps, frameCount, card.key, card.title, card.lines ?? []]);
  let encoded = encodedFiles.get(key);
  if (!encoded) {
    encoded = createMp4File({ width, height, fps, stream: encodeCardVideo({ width, height, fps, frameCount, card }) });
    encodedFiles.set(key, encoded);
  }
  return encoded;
}
