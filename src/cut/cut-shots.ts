import type { PlanJson } from '../plan/plan-json.js';

// Which shots go into the film (pure). A shot is `ready` when the plan leaves it alone and its video
// is on disk; `stale` when a video exists but the plan would render it again (the reasons in the
// words of `plan`); `missing` when there is no video. A cut takes every shot only when all are ready;
// with --allow-stale it takes every video that exists, in storyboard order, and names what is missing.

export interface VideoFacts {
  size: number;
  sha256: string;
}

export interface CutShot {
  id: string;
  /** Root-relative path of the shot's video. */
  output: string;
  duration: number;
  fps: number;
  seed: number;
  prompt: string | null;
  state: 'ready' | 'stale' | 'missing';
  reasons: string[];
  video: VideoFacts | null;
}

export type CutSelection =
  | { kind: 'refuse'; stale: CutShot[]; missing: CutShot[] }
  | { kind: 'empty'; missing: CutShot[] }
  | { kind: 'take'; clips: Array<CutShot & { video: VideoFacts }>; leftOut: CutShot[]; stale: CutShot[] };

export function createCutShots(plan: PlanJson, videos: Readonly<Record<string, VideoFacts | null>>): CutShot[] {
  return plan.shots.map((shot) => {
    const video = videos[shot.id] ?? null;
    const state = !video ? 'missing' : shot.action === 'unchanged' || shot.action === 'skipped' ? 'ready' : 'stale';
    return {
      id: shot.id,
      output: shot.output,
      duration: shot.duration,
      fps: shot.fps,
      seed: shot.seed,
      prompt: shot.prompt,
      state,
      reasons: shot.reasons.map((reason) => reason.text),
      video,
    };
  });
}

export function selectCutShots(shots: CutShot[], allowStale: boolean): CutSelection {
  const stale = shots.filter((shot) => shot.state === 'stale');
  const missing = shots.filter((shot) => shot.state === 'missing');
  if (!allowStale && (stale.length > 0 || missing.length > 0)) return { kind: 'refuse', stale, missing };
  const clips = shots.filter((shot): shot is CutShot & { video: VideoFacts } => shot.video !== null);
  if (clips.length === 0) return { kind: 'empty', missing };
  return { kind: 'take', clips, leftOut: missing, stale };
}

/** One line per shot that keeps a cut from being made, in the words of `plan`. */
export function describeNotReady(shots: CutShot[]): string {
  return shots.map((shot) => `  ${shot.id}: ${shot.state}${shot.reasons.length > 0 ? ` (${shot.reasons.join(', ')})` : ''}`).join('\n');
}
