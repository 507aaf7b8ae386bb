import { dirname } from 'node:path';
import type { CliContext } from '../cli/context.js';
import { parseBuildFlags } from '../build/flags.js';
import { reportDiagnostics } from '../build/report-load-failure.js';
import { createReporter } from '../report/create-reporter.js';
import { withSession } from '../build/with-session.js';
import { systemClock } from '../util/clock.js';
import { loadForWatch } from '../watch/watch-run.js';
import { runWatchSession } from '../watch/watch-session.js';

// `bach-render watch [PATH]` (also `build --watch`): `build`, in a loop, on every save. One API
// session (client or embedded emulator) and one process lock for the whole session; a manifest that
// is invalid at start is watched until it is fixed, one that does not exist is an error. Returns 130
// on Ctrl-C, the only way it ends. The loop itself is src/watch/.

export async function run(args: string[], context: CliContext): Promise<number> {
  const flags = parseBuildFlags(args, 'watch');
  const initial = await loadForWatch({ flags, context });
  if (!initial.source) {
    reportDiagnostics(initial, context, flags.reporter === 'json');
    return 1;
  }
  const root = dirname(initial.source.absFile);
  const reporter = await createReporter(flags.reporter, context);
  return withSession({ flags, context, root, reporter, command: 'watch' }, (session) =>
    runWatchSession({
      flags,
      context,
      root,
      session,
      reporter,
      createRunReporter: () => createReporter(flags.reporter, context),
      initial,
      clock: systemClock,
    }),
  );
}
