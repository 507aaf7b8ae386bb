import { dirname } from 'node:path';
import type { CliContext } from '../util/cli-context.js';
import { parseBuildFlags } from './build-flags.js';
import { takeServeFlags } from './serve-flags.js';
import { createWatchFreeResults } from './watch-free-results.js';
import { readCommandSettings, reportMissingManifest } from './command-settings.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { createReporter } from '../report/create-reporter.js';
import { withSession } from '../session/with-session.js';
import { systemClock } from '../util/clock.js';
import { loadForWatch } from '../watch/watch-run.js';
import { startLiveReview } from '../watch/live-review.js';
import { runWatchSession } from '../watch/watch-session.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import { tuneV8ForBuilds } from './tune-v8.js';

// `bach-render watch [PATH]` (also `build --watch`): `build`, in a loop, on every save. One API
// session (client or embedded emulator), one set of settings and one process lock for the whole
// session; a manifest that is invalid at start is watched until it is fixed, one that does not exist
// is an error. Returns 130 on Ctrl-C, the only way it ends. The loop itself is src/watch/.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { args: watchArgs, serve } = takeServeFlags(args);
  const parsed = parseBuildFlags(watchArgs, 'watch');
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
  // Every run of the session uploads, polls and downloads as a build does.
  tuneV8ForBuilds();
  return withSession({ settings, context, root, reporter, command: 'watch' }, async (session) => {
    // --serve: the review page on 127.0.0.1, live (watch/live-review.ts).
    const live = serve && initial.ok ? await startLiveReview(initial.source.file, root, serve.port, context.cwd) : null;
    if (serve && !live) reporter.message('warn', '--serve: the manifest does not load yet; run `bach-render watch --serve` again once it does');
    if (live) reporter.message('info', `Review page: ${live.url} (live; 127.0.0.1 only)`);
    try {
      return await runWatchSession({
        settings,
        context,
        root,
        session,
        reporter,
        createRunReporter: async () => {
          const run = await createReporter(settings.reporter, context);
          return live ? live.wrap(run) : run;
        },
        ...(live ? { onPageData: (data) => live.settled(data) } : {}),
        initial,
        clock: systemClock,
        // Before a run pays: the team cache and the tasks bach.lock names (watch-free-results.ts).
        ...(settings.dryRun ? {} : { fetchFreeResults: createWatchFreeResults(settings, context, session, systemClock) }),
      });
    } finally {
      await live?.close();
    }
  });
}
