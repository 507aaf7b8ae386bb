import type { BuildFlags, BuildSettings } from '../project/build-settings.js';
import { readBuildSettings } from '../project/read-build-settings.js';
import { describeApiTarget } from '../project/resolve-build-settings.js';
import type { CliContext } from '../util/cli-context.js';

// What build, plan and watch do first: decide the settings (the project's .env read once) and
// name the API they talk to when it is not the public one — on stderr, so that a redirected build
// is never silent and stdout stays what the command prints (a plan, NDJSON).

export async function readCommandSettings(flags: BuildFlags, context: CliContext, manifestFile: string): Promise<BuildSettings> {
  const settings = await readBuildSettings(flags, context.env, manifestFile);
  const target = describeApiTarget(settings.api);
  if (target) context.stderr.write(`${target}\n`);
  return settings;
}

/** PATH names nothing: the loader says so, with the same diagnostics as any load. */
export async function reportMissingManifest(path: string, context: CliContext, json: boolean): Promise<number> {
  const [{ loadManifest }, { reportDiagnostics }] = await Promise.all([import('../manifest/load.js'), import('../report/report-diagnostics.js')]);
  reportDiagnostics(await loadManifest(path, { cwd: context.cwd }), context, json);
  return 1;
}
