import type { EarlierTaskShotPlan, Plan, RenderShotPlan, ShotPlan } from './types.js';

// The plan with what `plan` learnt from outside the project folded in (pure; issue 11, items 3 and 6).
// A build looks, before it pays, in the local cache, then the team cache, then the API itself (the
// task bach.lock names for the shot's current request); `plan` shows the same order:
// - `markTeamSources`: a shot the plan would pay for whose fingerprint the team cache holds comes from
//   the team cache instead — free, marked `@` "from the team cache", `source: "team"` in `plan --json`;
// - `markEarlierTaskSources`: one whose locked task the API still serves comes from that earlier task —
//   free, marked `^` "from an earlier task", `source: "earlier-task"` with the task id.
// Never a shot held in doubt (nothing is sent for it anyway) and never one forced with --force (forcing
// means a new take). The uploads are counted again for what is left to render: an image only a shot
// that now comes for free needed is not uploaded (a build fetches first and plans again).

/** The shots a free source may replace: paid renders, not held, not forced. */
export function payingShots(plan: Plan): RenderShotPlan[] {
  return plan.shots.filter((shot): shot is RenderShotPlan => shot.source === 'render' && !shot.heldInDoubt && !shot.reasons.some((reason) => reason.kind === 'forced'));
}

/** Paid renders that bach.lock already names a task for, with the same request (the API may still serve it). */
export function lockedTaskShots(plan: Plan): (RenderShotPlan & { previous: NonNullable<RenderShotPlan['previous']> })[] {
  return payingShots(plan).filter((shot): shot is RenderShotPlan & { previous: NonNullable<RenderShotPlan['previous']> } => shot.previous?.fingerprint === shot.fingerprint);
}

export function markTeamSources(plan: Plan, inTeamCache: ReadonlySet<string>): Plan {
  const moved = new Set<ShotPlan>(payingShots(plan).filter((shot) => inTeamCache.has(shot.fingerprint)));
  const shots = plan.shots.map((shot): ShotPlan => {
    if (!moved.has(shot)) return shot;
    const { needsRerenderConsent: _consent, heldInDoubt: _held, ...rest } = shot as RenderShotPlan;
    return { ...rest, source: 'team', seconds: 0 };
  });
  return withTotals({ ...plan, shots }, { fromTeam: moved.size });
}

/** `served`: ids of the shots whose locked task the API answered as succeeded, with its video. */
export function markEarlierTaskSources(plan: Plan, served: ReadonlySet<string>): Plan {
  const moved = new Set<ShotPlan>(lockedTaskShots(plan).filter((shot) => served.has(shot.shot.id)));
  const shots = plan.shots.map((shot): ShotPlan => {
    if (!moved.has(shot)) return shot;
    const { needsRerenderConsent: _consent, heldInDoubt: _held, ...rest } = shot as RenderShotPlan & { previous: NonNullable<RenderShotPlan['previous']> };
    const earlier: EarlierTaskShotPlan = { ...rest, source: 'earlier-task', earlierTaskId: rest.previous.taskId, seconds: 0 };
    return earlier;
  });
  return withTotals({ ...plan, shots }, { fromEarlierTasks: moved.size });
}

function withTotals(plan: Plan, counts: { fromTeam?: number; fromEarlierTasks?: number }): Plan {
  const secondsToGenerate = plan.shots.reduce((sum, shot) => sum + shot.seconds, 0);
  const needed = new Set(plan.shots.flatMap((shot) => (shot.source === 'render' && !shot.heldInDoubt ? localImageDigests(shot.request) : [])));
  const uploads = plan.uploads.filter((upload) => needed.has(upload.sha256));
  return { ...plan, uploads, totals: { ...plan.totals, ...counts, secondsToGenerate, imagesToUpload: uploads.length } };
}

/** The sha256 of every local image in a fingerprinted request (local files appear there as `{ sha256 }`). */
function localImageDigests(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(localImageDigests);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.sha256 === 'string' && Object.keys(record).length === 1) return [record.sha256];
  return Object.values(record).flatMap(localImageDigests);
}
