import { parseAvcConfig, sameBytes } from './avc-parameter-sets.js';
import type { ClipInfo } from './probe-clip.js';

// How a cut joins its shots (pure). Without re-encoding when the shots share their codec parameters:
// one codec, one frame size, no audio, each shot starting on a key frame. Then H.264 shots whose
// parameter sets (SPS/PPS) are identical are copied as they are (`avc1`); H.264 shots whose parameter
// sets differ (another level, frame rate, profile or encoder) carry them in-band at their first frame
// (`avc3`); other codecs are copied only when their decoder configurations are identical.
// Otherwise the shots are re-encoded (ffmpeg) to one frame size and frame rate: those that cover the
// most seconds of the film (the earliest shot wins a tie); other sizes are scaled and padded (never
// stretched, never cropped). `ffmpeg -f concat -c copy` is not an option: over shots of different
// sizes it writes a film that changes size mid-way.

export interface ProbedClip {
  id: string;
  info: ClipInfo;
}

export type JoinPlan =
  | { method: 'copy'; inBandParameterSets: boolean }
  | { method: 're-encode'; differences: string[]; width: number; height: number; fps: number; audio: boolean };

export function chooseJoin(clips: readonly ProbedClip[]): JoinPlan {
  const differences = [
    ...describeSplit(clips, (clip) => describeCodec(clip.info), 'codecs differ'),
    ...describeSplit(clips, (clip) => `${clip.info.width}×${clip.info.height}`, 'frame sizes differ'),
    ...clips.filter((clip) => clip.info.audio).map((clip) => `${clip.id} carries audio (${clip.info.audio!.codec ?? 'unknown codec'}), which is joined only by re-encoding`),
    ...clips.filter((clip) => !clip.info.startsWithKeyFrame).map((clip) => `${clip.id} does not start with a key frame`),
  ];
  const first = clips[0]!.info;
  if (differences.length === 0) {
    const configs = clips.map((clip) => clip.info.description);
    const identical = configs.every((config) => config !== null && first.description !== null && sameBytes(config, first.description));
    if (identical) return { method: 'copy', inBandParameterSets: false };
    if (first.codec === 'avc' && configs.every((config) => config !== null && isAvcConfig(config))) return { method: 'copy', inBandParameterSets: true };
    differences.push('decoder configurations differ and the codec is not H.264');
  }
  const size = pickMostSeconds(clips, (clip) => `${clip.info.width}x${clip.info.height}`);
  const [width, height] = size.split('x').map(Number) as [number, number];
  const fps = Number(pickMostSeconds(clips, (clip) => String(roundFps(clip.info.fps))));
  return { method: 're-encode', differences, width, height, fps, audio: clips.some((clip) => clip.info.audio !== null) };
}

function describeCodec(info: ClipInfo): string {
  return info.codec === 'avc' ? 'H.264' : (info.codec ?? 'an unknown codec');
}

/** "frame sizes differ: a, b 1280×720; c 720×1280", or nothing when all agree. */
function describeSplit(clips: readonly ProbedClip[], keyOf: (clip: ProbedClip) => string, title: string): string[] {
  const groups = new Map<string, string[]>();
  for (const clip of clips) groups.set(keyOf(clip), [...(groups.get(keyOf(clip)) ?? []), clip.id]);
  if (groups.size <= 1) return [];
  return [`${title}: ${[...groups].map(([key, ids]) => `${ids.join(', ')} ${key}`).join('; ')}`];
}

function pickMostSeconds(clips: readonly ProbedClip[], keyOf: (clip: ProbedClip) => string): string {
  const seconds = new Map<string, number>();
  for (const clip of clips) seconds.set(keyOf(clip), (seconds.get(keyOf(clip)) ?? 0) + clip.info.duration);
  let best = keyOf(clips[0]!);
  for (const [key, total] of seconds) if (total > seconds.get(best)!) best = key;
  return best;
}

/** 23.976… stays a fraction; 24.0000001 (from timestamps) becomes 24. */
function roundFps(fps: number): number {
  return Math.abs(fps - Math.round(fps)) < 0.01 ? Math.round(fps) : Math.round(fps * 1000) / 1000;
}

function isAvcConfig(config: Uint8Array): boolean {
  try {
    parseAvcConfig(config);
    return true;
  } catch {
    return false;
  }
}
