import { lockfilePathFor } from '../lock/lockfile-io.js';
import { loadManifest } from '../manifest/load.js';
import { formatPlan } from '../plan/format-plan.js';
import { createPlanJson } from '../plan/plan-json.js';
import { persistentOriginOf, type BuildSettings } from '../project/build-settings.js';
import { createCheckedPlan } from '../project/create-checked-plan.js';
import { createPlanInputs } from '../project/create-plan-inputs.js';
import { recordNoOp } from '../project/no-op.js';
import { readProject } from '../project/read-project.js';
import { writeProjectCaches } from '../project/write-project-caches.js';
import { reportDiagnostics, reportTrackedEnv } from '../report/report-diagnostics.js';
import { assertProjectLinksInside } from '../state/project-links.js';
import { stampOf } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';
import type { Palette } from '../util/palette.js';

// The full `bach-render plan` (plan.ts answers a no-op from the up-to-date snapshot first): the
// same reading and planning as a build (project/), then what the team cache holds of what it would pay
// for (plan-team-cache.ts), then what the API still serves of the tasks bach.lock names
// (plan-earlier-tasks.ts), then the plan printed, for people or as JSON.

export interface RunPlanOptions {
  settings: BuildSettings;
  manifestFile: string;
  json: boolean;
  /** `--reporter github`: GitHub Actions annotations after the plan (report/write-annotations.ts). */
  github: boolean;
  detailed: boolean;
  palette: Palette;
}

export async function runPlan(options: RunPlanOptions, context: CliContext): Promise<number> {
  const { settings, json, palette } = options;
  const manifestStamp = stampOf(options.manifestFile);
  const loaded = await loadManifest(settings.path, { cwd: context.cwd, cache: true, secrets: settings.guardedSecrets });
  reportDiagnostics(loaded, context, json);
  const annotations = options.github ? await import('../report/write-annotations.js') : undefined;
  if (!loaded.ok) {
    annotations?.writeDiagnosticAnnotations(loaded.diagnostics, context);
    return 1;
  }
  const { manifest } = loaded;
  const warnings = [...loaded.warnings, ...(await reportTrackedEnv(manifest.root, loaded.source.file, context))];
  // A plan writes caches into .bach/ and reads the lockfile: neither may lead out of the project.
  await assertProjectLinksInside({ root: manifest.root, lockfile: lockfilePathFor(manifest.file), output: manifest.output });
  const project = await readProject(manifest, { label: loaded.source.file, origin: persistentOriginOf(settings.api), now: Date.now });
  for (const notice of project.notices) context.stderr.write(`warning: ${notice}\n`);
  const localPlan = await createCheckedPlan(createPlanInputs(project, settings), { cacheDir: project.paths.cache, warn: (message) => context.stderr.write(`warning: ${message}\n`) });
  await recordNoOp(project, localPlan, { manifestStamp, narrowed: settings.only.length > 0 || settings.force.length > 0 });
  await writeProjectCaches(project);
  // What the team cache holds of what would be paid for (its code is loaded only when one is used).
  const withTeam = await (await import('./plan-team-cache.js')).consultTeamCache(localPlan, manifest, settings, context);
  // Then the API, for the tasks bach.lock names that neither cache has (a build looks in the same order).
  const plan = await (await import('./plan-earlier-tasks.js')).consultEarlierTasks(withTeam, settings, context);
  if (json) {
    context.stdout.write(`${JSON.stringify(createPlanJson(plan, loaded.source.file), null, 2)}\n`);
  } else {
    context.stdout.write(formatPlan(plan, palette));
  }
  annotations?.writePlanAnnotations(plan, loaded.source.file, warnings, context);
  return options.detailed && plan.changes ? 2 : 0;
}
