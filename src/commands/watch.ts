import { dirname } from 'node:path';
import type { CliContext } from '../util/cli-context.js';
import { parseBuildFlags } from './build-flags.js';
import { readCommandSettings, reportMissingManifest } from './command-settings.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { createReporter } from '../report/create-reporter.js';
import { withSession } from '../session/with-session.js';
import { systemClock } from '../util/clock.js';
import { loadForWatch } from '../watch/watch-run.js';
import { runWatchSession } from '../watch/watch-session.js';
import { resolveManifestPath } from '../state/up-to-date.js';

// `bach-render watch [PATH]` (also `build --watch`): `build`, in a loop, on every save. One API
// session (client or embedded emulator), one set of settings and one process lock for the whole
// session; a manifest that is invalid at start is watched until it is fixed, one that does not exist
// is an error. Returns 130 on Ctrl-C, the only way it ends. The loop itself is src/watch/.

export async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseBuildFlags(args, 'watch');
  const { path, file: manifestFile } = resolveManifestPath(context.cwd, parsed.path);
  const flags = { ...parsed, path };
  if (!manifestFile) return reportMissingManifest(path, context, flags.reporter === 'json');
  const settings = await readCommandSettings(flags, context, manifestFile);
  const initial = await loadForWatch({ settings, context });
  if (!initial.source) {
    reportDiagnostics(initial, context, settings.reporter === 'json');
    return 1;
  }
  const root = dirname(initial.source.absFile);
  const reporter = await createReporter(settings.reporter, context);
  return withSession({ settings, context, root, reporter, command: 'watch' }, (session) =>
    runWatchSession({
      settings,
      context,
      root,
      session,
      reporter,
      createRunReporter: () => createReporter(settings.reporter, context),
      initial,
      clock: systemClock,
    }),
  );
}
