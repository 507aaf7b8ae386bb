import type { Plan, ShotPlan } from './types.js';

// The plan with the team cache's answer folded in (pure; issue 11, item 6): a shot the plan would pay
// for whose fingerprint the team cache holds comes from the team cache instead — free, marked `@` with
// the word "from the team cache" in the plan, `source: "team"` in `plan --json`. Not a shot held in
// doubt (nothing is sent for it anyway) and not one forced with --force (forcing means a new take).
// Decided: the images such a shot would have needed stay in the upload count; the count is what a
// build that finds the team cache gone would upload, and a build fetches first and plans again anyway.

export function markTeamSources(plan: Plan, inTeamCache: ReadonlySet<string>): Plan {
  let moved = 0;
  const shots = plan.shots.map((shot): ShotPlan => {
    if (shot.source !== 'render' || shot.heldInDoubt || !inTeamCache.has(shot.fingerprint)) return shot;
    if (shot.reasons.some((reason) => reason.kind === 'forced')) return shot;
    moved += 1;
    const { needsRerenderConsent: _consent, heldInDoubt: _held, ...rest } = shot;
    return { ...rest, source: 'team', seconds: 0 };
  });
  const secondsToGenerate = shots.reduce((sum, shot) => sum + shot.seconds, 0);
  return { ...plan, shots, totals: { ...plan.totals, fromTeam: moved, secondsToGenerate } };
}
