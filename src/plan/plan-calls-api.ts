import type { Plan } from './types.js';

// Whether carrying out a plan talks to the Bach API at all (pure). A build that only restores
// videos from the cache, moves outputs or updates the lockfile needs no keys (issue 15, item 2):
// a teammate without an account can still restore what the cache holds. Anything that sends —
// a render (held shots are not sent), an upload, a task to resume, or a paid task in the journal
// to collect — does.

export function planCallsApi(plan: Plan, journal: readonly { state: string }[]): boolean {
  if (plan.totals.imagesToUpload > 0) return true;
  if (plan.shots.some((s) => (s.source === 'render' && !s.heldInDoubt) || s.source === 'in-flight' || s.source === 'earlier-task')) return true;
  return journal.some((entry) => entry.state === 'accepted');
}
