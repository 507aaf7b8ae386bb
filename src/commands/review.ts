import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../util/cli-context.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { UsageError } from '../errors.js';
import { emptyRunOverlay } from '../review/review-data.js';
import { readProjectPlan } from '../review/read-project-plan.js';
import { readShotFailures } from '../review/run-overlay-io.js';
import { createReviewModel } from '../review/review-model.js';
import { formatSeconds } from '../review/render-parts.js';
import { updateReviewPage } from '../review/update-review-page.js';
import { resolveManifestPath } from '../state/up-to-date.js';

// `bach-render review [PATH]`: writes the review page, `<output>/index.html`, from the plan (the
// data of `plan --json`) and the videos on disk. Needs no credentials and sends nothing; it writes
// the page (only when it changed) and the hash cache.

export async function run(args: string[], context: CliContext): Promise<number> {
  // Without PATH, the nearest bach.yaml (this folder or a parent), as every command finds it.
  const path = resolveManifestPath(context.cwd, parseReviewArgs(args)).path;
  const project = await readProjectPlan(path, context);
  reportDiagnostics(project.loaded, context);
  if (!project.ok) return 1;
  const failed = await readShotFailures(project.manifest.root);
  const page = await updateReviewPage(project, { ...emptyRunOverlay(), failed });
  const { totals } = createReviewModel(page.data);
  const shown = relative(context.cwd, page.path) || page.path;
  const states = Object.entries(totals.states)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state.replace(/-/g, ' ')}`)
    .join(', ');
  context.stdout.write(
    `${page.written ? 'Wrote' : 'Unchanged:'} ${shown} — ${totals.shots} ${totals.shots === 1 ? 'shot' : 'shots'} (${states || 'none'}); ` +
      `a build would pay for ${formatSeconds(totals.toPaySeconds)}.\n`,
  );
  return 0;
}

function parseReviewArgs(args: string[]): string | undefined {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true }));
  } catch (error) {
    throw new UsageError(`review: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render review [PATH]' });
  }
  if (positionals.length > 1) throw new UsageError(`review: expected at most one PATH, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0];
}
