import { join, relative } from 'node:path';
import type { Plan } from '../plan/types.js';
import type { RunReport } from '../render/events.js';
import type { Reporter } from '../report/reporter.js';
import type { ReviewData } from '../review/review-data.js';
import type { CliContext } from '../util/cli-context.js';

// What every build does once its shots are settled (issue 12, item 3), still holding the folder:
//   1. the review page `<output>/index.html` is rewritten (atomically, only when it changed) from the
//      project's plan as it now stands — the same data as `plan --json` — with this build's failures
//      (kept in `.bach/` so that `review` shows them too);
//   2. with `cut: true` in the manifest, a build that leaves every shot up to date also cuts the film
//      (incremental: nothing is done when no shot's video changed since the last cut).
// Neither may fail a build that rendered: a problem here is a warning with what to run by hand.
// Both are loaded only by a build that executes, so a no-op build never pays for them: by
// `loadAfterBuild`, which build-once.ts calls while the build waits for its first tasks, so that the
// loading is not on the way from the last result to the exit (issue 14 item 4); or here at the latest.

let loading: ReturnType<typeof importAfterBuild> | undefined;

/** Loads what afterBuild uses (once per process; a failure is left for afterBuild to meet). */
export function loadAfterBuild(): ReturnType<typeof importAfterBuild> {
  loading ??= importAfterBuild();
  loading.catch(() => {});
  return loading;
}

function importAfterBuild() {
  return Promise.all([
    import('../review/read-project-plan.js'),
    import('../review/update-review-page.js'),
    import('../review/run-overlay-io.js'),
    import('../review/review-data.js'),
  ]);
}

/** `manifest`: the manifest as the command names it (relative to the current folder), so the page shows that name. */
export async function afterBuild(manifestName: string, plan: Plan, report: RunReport, context: CliContext, reporter: Pick<Reporter, 'message'>): Promise<ReviewData | null> {
  const [{ readProjectPlan }, { updateReviewPage }, { writeShotFailures, readShotFailures }, { emptyRunOverlay }] = await loadAfterBuild();
  try {
    const project = await readProjectPlan(manifestName, { cwd: context.cwd });
    if (!project.ok) return null;
    const { manifest } = project;
    const fingerprints = new Map(plan.shots.map((s) => [s.shot.id, s.fingerprint]));
    // This build's failures replace the earlier ones of the shots it tried; the others stay.
    const failed = { ...(await readShotFailures(manifest.root)) };
    for (const shot of plan.shots) if (shot.source !== null) delete failed[shot.shot.id];
    for (const failure of report.failed) {
      const fingerprint = fingerprints.get(failure.id);
      if (fingerprint) failed[failure.id] = { fingerprint, message: failure.message, ...(failure.taskId ? { taskId: failure.taskId } : {}) };
    }
    // Two files, independent of each other: flushed side by side.
    const [, page] = await Promise.all([writeShotFailures(manifest.root, failed), updateReviewPage(project, { ...emptyRunOverlay(), failed })]);
    if (page.written) reporter.message('info', `Review page: ${relative(context.cwd, page.path) || page.path}`);
    if (manifest.cut && !project.plan.changes && !context.interrupt.aborted) {
      const { executeCut } = await import('../cut/execute-cut.js');
      const outcome = await executeCut(
        { root: manifest.root, output: manifest.output, name: manifest.name, planJson: project.planJson, videos: project.videos },
        { allowStale: false, force: false, env: context.env, signal: context.interrupt },
      );
      if (outcome.kind === 'cut') {
        reporter.message('info', `Cut ${relative(context.cwd, join(manifest.root, outcome.film))}: ${outcome.clips.length} shots, ${outcome.seconds.toFixed(2)} s (cut: true in the manifest).`);
        return (await updateReviewPage(project, { ...emptyRunOverlay(), failed })).data;
      }
    }
    return page.data;
  } catch (error) {
    if (context.interrupt.aborted) return null;
    reporter.message('warn', `the review page or the cut could not be updated (${error instanceof Error ? error.message : String(error)}); run \`bach-render review\` or \`bach-render cut\``);
    return null;
  }
}
