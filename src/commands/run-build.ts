import { loadManifest } from '../manifest/load.js';
import type { BuildSettings } from '../project/build-settings.js';
import { createReporter } from '../report/create-reporter.js';
import { findTrackedEnv, reportDiagnostics } from '../report/report-diagnostics.js';
import { buildOnce } from '../session/build-once.js';
import { withSession } from '../session/with-session.js';
import { stampOf } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';
import { systemClock } from '../util/clock.js';
import { afterBuild } from '../session/after-build.js';
import type { Session } from '../session/session.js';
import type { SpawnedSubmitter } from '../submitter/spawn-submitter.js';
import { resolveSelection } from '../plan/selection.js';
import { fetchFromTeamCache, type BuildTeamCache } from './build-team-cache.js';
import { createAskToPay, shouldAskToPay } from './ask-to-pay.js';
import { tuneV8ForBuilds } from './tune-v8.js';

// The full build: load → plan → (refuse over budget) → upload → render → lock.
// Exit 0 when every shot is done, 1 on any failure or refusal, 130 when interrupted.

/** `spawnedSubmitter`: a submitter process build.ts started early; the session uses it or lets it go. */
export async function runBuild(settings: BuildSettings, context: CliContext, manifestFile: string, spawnedSubmitter?: SpawnedSubmitter): Promise<number> {
  tuneV8ForBuilds();
  // Seen before reading, so that a "no changes" snapshot is recorded only for the text the plan used.
  const manifestStamp = stampOf(manifestFile);
  const loaded = await loadManifest(settings.path, { cwd: context.cwd, cache: true, secrets: settings.guardedSecrets });
  reportDiagnostics(loaded, context, settings.reporter === 'json');
  if (!loaded.ok) return 1;
  const { manifest } = loaded;
  const label = loaded.source.file;
  const reporter = await createReporter(settings.reporter, context);
  for (const tracked of await findTrackedEnv(manifest.root, loaded.source.file, context)) reporter.message('warn', `${tracked.message}. ${tracked.hint}`);
  return withSession({ settings, context, root: manifest.root, reporter, command: 'build', spawnedSubmitter }, async (session) => {
    // Free results from the team cache first, while this build holds the folder (build-team-cache.ts).
    const team = settings.dryRun ? null : await fetchFromTeamCache(manifestFile, settings, context, reporter, systemClock);
    try {
      // Then what bach.lock's task ids still give for free (build-earlier-tasks.ts), before anything is claimed or paid.
      if (session && !settings.dryRun) await (await import('./build-earlier-tasks.js')).fetchEarlierTasks(manifestFile, session, context, reporter);
      if (!team) return await buildWithSession(session, null, settings);
      // Rounds: each leaves out the shots another machine is rendering, then waits for them.
      let held = await team.claimRound();
      for (;;) {
        const code = await buildWithSession(session, team, narrowed(settings, held));
        if (held.size === 0 || code !== 0 || context.interrupt.aborted) return code;
        held = await team.waitForHeld(held);
        if (context.interrupt.aborted) return 130;
      }
    } finally {
      await team?.close();
    }
  });

  /** The settings of a round that leaves out the shots another machine holds (`--only` the rest of the selection). */
  function narrowed(base: BuildSettings, held: ReadonlySet<string>): BuildSettings | null {
    if (held.size === 0) return base;
    const selected = base.only.length === 0 ? manifest.shots.map((shot) => shot.id) : [...(resolveSelection(manifest, '--only', base.only) ?? [])];
    const rest = selected.filter((id) => !held.has(id));
    return rest.length === 0 ? null : { ...base, only: rest };
  }

  async function buildWithSession(session: Session | null, team: BuildTeamCache | null, roundSettings: BuildSettings | null): Promise<number> {
    // Every shot of this round is held by another machine: nothing to build now.
    if (!roundSettings) return 0;
    const settings = roundSettings;
    const outcome = await buildOnce({
      manifest,
      label,
      settings,
      session,
      reporter: team ? team.watchSubmissions(reporter) : reporter,
      interrupt: context.interrupt,
      clock: systemClock,
      budgetSeconds: settings.maxSeconds,
      manifestStamp,
      ...(context.stdin && shouldAskToPay(settings, context) ? { confirm: createAskToPay(context.stdin, context) } : {}),
    });
    if (outcome.kind === 'planned') {
      reporter.message('info', 'Dry run: nothing was uploaded or submitted; no output and no lockfile were written.');
      return 0;
    }
    if (outcome.kind === 'declined') {
      if (context.interrupt.aborted) return 130;
      reporter.message('info', 'Build cancelled: nothing was uploaded or submitted.');
      return 1;
    }
    if (outcome.kind === 'over-budget') {
      reporter.message(
        'error',
        `this build would generate ${outcome.plan.totals.secondsToGenerate} s of video, more than --max-seconds ${settings.maxSeconds}; nothing was submitted`,
      );
      return 1;
    }
    const { report } = outcome;
    await team?.pushRendered(report.interrupted ? null : report);
    if (report.interrupted) return 130;
    await afterBuild(label, outcome.plan, report, context, reporter);
    return report.failed.length > 0 ? 1 : 0;
  }
}
