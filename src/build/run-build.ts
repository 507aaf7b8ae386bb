import type { CliContext } from '../cli/context.js';
import { readGuardedSecrets } from '../api/guarded-secrets.js';
import { buildOnce } from './build-once.js';
import type { BuildFlags } from './flags.js';
import { reportDiagnostics } from './report-load-failure.js';
import { loadManifest } from '../manifest/load.js';
import { createReporter } from '../report/create-reporter.js';
import { withSession } from './with-session.js';
import { stampOf } from '../state/up-to-date.js';
import { systemClock } from '../util/clock.js';

// The full build: load → plan → (refuse over budget) → upload → render → lock.
// Exit 0 when every shot is done, 1 on any failure or refusal, 130 when interrupted.

export async function runBuild(flags: BuildFlags, context: CliContext, manifestFile: string | null): Promise<number> {
  // Seen before reading, so that a "no changes" snapshot is recorded only for the text the plan used.
  const manifestStamp = manifestFile ? stampOf(manifestFile) : null;
  const secrets = await readGuardedSecrets(manifestFile, context.env);
  const loaded = await loadManifest(flags.path, { cwd: context.cwd, cache: true, secrets });
  reportDiagnostics(loaded, context, flags.reporter === 'json');
  if (!loaded.ok) return 1;
  const { manifest } = loaded;
  const reporter = await createReporter(flags.reporter, context);
  return withSession({ flags, context, root: manifest.root, reporter, command: 'build' }, async (session) => {
    const outcome = await buildOnce({
      manifest,
      label: loaded.source.file,
      flags,
      session,
      reporter,
      interrupt: context.interrupt,
      clock: systemClock,
      budgetSeconds: flags.maxSeconds,
      manifestStamp,
    });
    if (outcome.kind === 'planned') {
      reporter.message('info', 'Dry run: nothing was uploaded or submitted; no output and no lockfile were written.');
      return 0;
    }
    if (outcome.kind === 'over-budget') {
      reporter.message(
        'error',
        `this build would generate ${outcome.plan.totals.secondsToGenerate} s of video, more than --max-seconds ${flags.maxSeconds}; nothing was submitted`,
      );
      return 1;
    }
    const { report } = outcome;
    if (report.interrupted) return 130;
    return report.failed.length > 0 ? 1 : 0;
  });
}
