import type { Plan } from '../plan/types.js';
import { checkUpToDate, forgetUpToDate, recordUpToDate, snapshotVersion, toRootRelative, type Stamp } from '../state/up-to-date.js';
import type { BuildSettings } from './build-settings.js';
import type { ProjectState } from './read-project.js';

// The no-op fast path, both ends: answering "no changes" from the up-to-date snapshot before the
// planner is even loaded (state/up-to-date.ts has the rule), and recording that snapshot from what
// readProject read when a full plan finds nothing to do. Light on purpose: the commands import it
// before anything heavy.

/** The shot ids when nothing changed since the last plan with nothing to do; null when a full plan is needed. */
export function answerFromSnapshot(manifestFile: string, settings: Pick<BuildSettings, 'only' | 'force'>): string[] | null {
  // A selection changes what the plan is; the answer would be about another plan.
  if (settings.only.length > 0 || settings.force.length > 0) return null;
  return checkUpToDate(manifestFile, snapshotVersion());
}

export interface RecordNoOpOptions {
  /** The manifest's stamp before it was read; undefined: do not record (watch runs), only forget. */
  manifestStamp?: Stamp | null | undefined;
  /** `--only` / `--force` narrowed the plan: it says nothing about the whole storyboard. */
  narrowed: boolean;
}

/**
 * A plan with nothing to do (no selection narrowing it, nothing in the journal) is remembered as the
 * snapshot, so the next no-op answers without the planner; a plan with changes retires it.
 */
export async function recordNoOp(project: ProjectState, plan: Plan, options: RecordNoOpOptions): Promise<void> {
  const { manifest } = project;
  // A kept (hand-altered) output is reported by every plan, so such a plan is no snapshot either.
  if (plan.changes || plan.totals.kept > 0 || (plan.strayOutputs?.length ?? 0) > 0 || options.narrowed || project.journalEntries.length > 0 || options.manifestStamp === undefined) {
    if (plan.changes) await forgetUpToDate(manifest.root);
    return;
  }
  const readAt: Record<string, Stamp | null> = { [toRootRelative(manifest.root, manifest.file)]: options.manifestStamp };
  if (project.lockStamp) readAt[toRootRelative(manifest.root, project.lockPath)] = project.lockStamp;
  // Imported here: the no-op check (answerFromSnapshot) loads this module and needs none of it.
  const { listLocalFiles } = await import('../manifest/list-local-files.js');
  await recordUpToDate({
    manifestFile: manifest.file,
    version: snapshotVersion(),
    shots: plan.shots.map((s) => s.shot.id),
    readAt,
    hashed: [...listLocalFiles(manifest), ...plan.shots.map((s) => s.outputPath)],
    vouches: (path, stamp) => project.hashCache.get(path, stamp) !== undefined,
  });
}
