import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../util/cli-context.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { describeNotReady } from '../cut/cut-shots.js';
import { executeCut, type CutOutcome } from '../cut/execute-cut.js';
import { UsageError } from '../errors.js';
import { readProjectPlan } from '../review/read-project-plan.js';
import { emptyRunOverlay } from '../review/review-data.js';
import { readShotFailures } from '../review/run-overlay-io.js';
import { updateReviewPage } from '../review/update-review-page.js';
import { REVIEW_PAGE_NAME } from '../review/write-review-page.js';
import { resolveManifestPath } from '../state/up-to-date.js';

// `bach-render cut [PATH]`: the shots, in storyboard order, into `<output>/<name>.mp4` plus an
// OpenTimelineIO timeline. Refuses (exit 1) while a shot is stale or missing, unless --allow-stale.
// A review page that exists is refreshed after a cut, so it links the new film.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { path: given, allowStale, force } = parseCutArgs(args);
  // Without PATH, the nearest bach.yaml (this folder or a parent), as every command finds it.
  const path = resolveManifestPath(context.cwd, given).path;
  const project = await readProjectPlan(path, context);
  reportDiagnostics(project.loaded, context);
  if (!project.ok) return 1;
  const { manifest } = project;
  let outcome: CutOutcome;
  try {
    outcome = await executeCut(
      { root: manifest.root, output: manifest.output, name: manifest.name, planJson: project.planJson, videos: project.videos },
      { allowStale, force, env: context.env, signal: context.interrupt },
    );
  } catch (error) {
    if (!context.interrupt.aborted) throw error;
    context.stderr.write('cut: interrupted; the film was left as it was.\n');
    return 130;
  }
  const shown = (file: string) => relative(context.cwd, join(manifest.root, file)) || file;
  // A review page already there gets its link to the new film; none is created here.
  if (outcome.kind === 'cut' && existsSync(join(manifest.root, manifest.output, REVIEW_PAGE_NAME))) {
    await updateReviewPage(project, { ...emptyRunOverlay(), failed: await readShotFailures(manifest.root) });
  }
  return report(outcome, shown, context);
}

function report(outcome: CutOutcome, shown: (file: string) => string, context: CliContext): number {
  switch (outcome.kind) {
    case 'refused': {
      const notReady = [...outcome.stale, ...outcome.missing];
      context.stderr.write(
        `cut: ${notReady.length} ${notReady.length === 1 ? 'shot is' : 'shots are'} not up to date:\n${describeNotReady(notReady)}\n` +
          'Build first (`bach-render`), or cut the videos that exist with --allow-stale.\n',
      );
      return 1;
    }
    case 'empty':
      context.stderr.write('cut: no shot has a video yet; build first (`bach-render`).\n');
      return 1;
    case 'up-to-date':
      context.stdout.write(`Film up to date: ${shown(outcome.film)} (${outcome.clips.length} ${outcome.clips.length === 1 ? 'shot' : 'shots'}); no shot changed since the last cut.\n`);
      return 0;
    case 'cut': {
      const how = outcome.method === 're-encode' ? `re-encoded with ffmpeg (${outcome.differences.join('; ')})` : 'without re-encoding';
      const lines = [
        `Cut ${shown(outcome.film)}: ${outcome.clips.length} ${outcome.clips.length === 1 ? 'shot' : 'shots'}, ${outcome.seconds.toFixed(2)} s, ${outcome.frames} frames, ${outcome.width}×${outcome.height}, ${how}.`,
        `Timeline (OpenTimelineIO): ${shown(outcome.otio)}`,
      ];
      if (outcome.leftOut.length > 0) lines.push(`Left out (no video yet):\n${describeNotReady(outcome.leftOut)}`);
      if (outcome.stale.length > 0) lines.push(`Stale shots in this cut:\n${describeNotReady(outcome.stale)}`);
      context.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
  }
}

function parseCutArgs(args: string[]): { path: string | undefined; allowStale: boolean; force: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { 'allow-stale': { type: 'boolean' }, force: { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError(`cut: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render cut [PATH] [--allow-stale] [--force]' });
  }
  if (parsed.positionals.length > 1) throw new UsageError(`cut: expected at most one PATH, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  return { path: parsed.positionals[0], allowStale: parsed.values['allow-stale'] ?? false, force: parsed.values.force ?? false };
}
