import type { PlanInputs } from '../plan/create-plan.js';
import { resolveSelection } from '../plan/selection.js';
import type { ProjectState } from './read-project.js';

// The one pure step from what readProject read to what the planner takes: the journal's paid-for
// tasks by fingerprint, the images the API in use already has, and `--only` / `--force` checked
// against the manifest (an unknown id is a usage error that suggests the nearest one).

export interface PlanSelection {
  only: readonly string[];
  force: readonly string[];
}

/** `alsoUploaded`: images this session uploaded to an API that keeps no records (the embedded emulator). */
export function createPlanInputs(project: ProjectState, selection: PlanSelection, alsoUploaded: Iterable<string> = []): PlanInputs {
  const { manifest } = project;
  const inFlight = new Map<string, { taskId: string }>();
  const expired = new Map<string, { taskId: string }>();
  const inDoubt = new Set<string>();
  for (const entry of project.journalEntries) {
    if (entry.state === 'sending') inDoubt.add(entry.fingerprint);
    if (entry.state === 'accepted' && entry.taskId) inFlight.set(entry.fingerprint, { taskId: entry.taskId });
    if (entry.state === 'expired' && entry.taskId) expired.set(entry.fingerprint, { taskId: entry.taskId });
  }
  return {
    manifest,
    digests: project.digests,
    lock: project.lock,
    outputs: project.outputs,
    cached: project.cached,
    inFlight,
    expired,
    inDoubt,
    strayOutputs: project.strayOutputs,
    uploaded: new Set([...project.uploaded, ...alsoUploaded]),
    only: resolveSelection(manifest, '--only', selection.only),
    force: resolveSelection(manifest, '--force', selection.force),
  };
}
