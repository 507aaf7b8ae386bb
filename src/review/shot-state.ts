import type { PlanJsonShot } from '../plan/plan-json.js';
import type { RunOverlay, VideoFile } from './review-data.js';

// A shot's state on the review page, decided from the plan (the same words as `bach-render plan`),
// the video on disk, and the run overlay. In order of precedence:
//   in-flight   the current run is working on it, or a task for it is already paid for (journal);
//   failed      its last run failed for exactly this version of the shot (same fingerprint);
//   missing     no video on disk (a new shot, or its video was deleted);
//   stale       a video exists but the plan would change it (with the plan's reasons);
//   up-to-date  the plan leaves it alone and its video is there.
// A shot left out by --only (`skipped`) has no verdict of its own: it is judged by its video alone.

export type ShotState =
  | { kind: 'up-to-date' }
  | { kind: 'stale'; reasons: string[] }
  | { kind: 'missing'; reasons: string[] }
  | { kind: 'failed'; message: string; taskId?: string | undefined }
  | { kind: 'in-flight'; status: string; taskId?: string | undefined };

export type ShotStateKind = ShotState['kind'];

export const STATE_LABELS: Record<ShotStateKind, string> = {
  'up-to-date': 'up to date',
  stale: 'stale',
  missing: 'missing',
  failed: 'failed',
  'in-flight': 'in flight',
};

export function decideShotState(shot: PlanJsonShot, video: VideoFile | null, run: RunOverlay): ShotState {
  const live = run.inFlight[shot.id];
  if (live) return { kind: 'in-flight', status: live.status, taskId: live.taskId };
  if (shot.source === 'in-flight') return { kind: 'in-flight', status: 'accepted', taskId: shot.taskId ?? undefined };
  const failure = run.failed[shot.id];
  if (failure && failure.fingerprint === shot.fingerprint && shot.action !== 'unchanged') {
    return { kind: 'failed', message: failure.message, taskId: failure.taskId };
  }
  const reasons = shot.reasons.map((reason) => reason.text);
  if (!video) return { kind: 'missing', reasons: reasons.length > 0 ? reasons : [`${shot.output} is missing`] };
  if (shot.action === 'unchanged' || shot.action === 'skipped') return { kind: 'up-to-date' };
  return { kind: 'stale', reasons };
}
