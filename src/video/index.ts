// src/video: a minimal H.264 encoder + MP4 muxer for the emulator's results, and the MP4 parser the
// client and the tests use to check them. Pure: no I/O, no dependencies.

export { createMp4, createMp4Layout, computeFrameCount, clearMp4Cache } from './create-mp4.js';
export type { Mp4Options, Mp4LayoutOptions } from './create-mp4.js';
export type { VideoCard } from './card-layout.js';
export { iterateMp4Layout } from './mp4-layout.js';
export type { Mp4Layout } from './mp4-layout.js';
export { parseMp4, hasMp4Signature } from './mp4-parser.js';
export type { Mp4Info } from './mp4-parser.js';
export { Mp4FormatError } from './mp4-box-reader.js';
