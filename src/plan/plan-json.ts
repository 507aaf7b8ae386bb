import type { RequestValue } from '../api/requests.js';
import type { Plan } from './types.js';

// The machine-readable plan (`bach-render plan --json`), documented in README "Plan JSON". Stable:
// fields are only ever added; a breaking change bumps planVersion.

export interface PlanJson {
  planVersion: 1;
  manifest: string;
  changes: boolean;
  totals: Plan['totals'];
  shots: {
    id: string;
    action: Plan['shots'][number]['kind'];
    source: Plan['shots'][number]['source'];
    fingerprint: string;
    previousFingerprint: string | null;
    seed: number;
    seconds: number;
    output: string;
    /** `from`/`to` (added in 0.2, planVersion still 1): on field, file and mode reasons, the values before and after. */
    reasons: { kind: string; field?: string; path?: string; text: string; from?: RequestValue | null; to?: RequestValue | null }[];
    taskId: string | null;
  }[];
  removed: { id: string; fingerprint: string; output: string }[];
  uploads: { path: string; sha256: string }[];
}

export function createPlanJson(plan: Plan, manifestName: string): PlanJson {
  return {
    planVersion: plan.planVersion,
    manifest: manifestName,
    changes: plan.changes,
    totals: plan.totals,
    shots: plan.shots.map((s) => ({
      id: s.shot.id,
      action: s.kind,
      source: s.source,
      fingerprint: s.fingerprint,
      previousFingerprint: s.previous?.fingerprint ?? null,
      seed: s.seed,
      seconds: s.seconds,
      output: s.outputPath,
      reasons: s.reasons.map((r) => ({
        kind: r.kind,
        ...(r.field ? { field: r.field } : {}),
        ...(r.path ? { path: r.path } : {}),
        text: r.text,
        ...('from' in r ? { from: r.from ?? null, to: r.to ?? null } : {}),
      })),
      taskId: s.inFlightTaskId ?? null,
    })),
    removed: plan.removed.map((r) => ({ id: r.id, fingerprint: r.previous.fingerprint, output: r.previous.output.path })),
    uploads: plan.uploads.map((u) => ({ path: u.path, sha256: u.sha256 })),
  };
}
