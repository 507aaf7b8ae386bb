import { answerFromSnapshot } from '../project/no-op.js';
import type { BuildFlags, BuildSettings } from '../project/build-settings.js';
import { formatNoChanges } from '../plan/format-plan.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';
import { createPalette, shouldUseColor } from '../util/palette.js';
import { UsageError } from '../errors.js';
import { parseBuildFlags } from './build-flags.js';
import { takeServeFlags } from './serve-flags.js';
import { readCommandSettings, reportMissingManifest } from './command-settings.js';

// `bach-render [build] [PATH]`. The manifest is PATH, or the nearest bach.yaml from here up (like
// git). The settings are decided first (a missing key is reported before anything else happens; a
// dry run needs none). A build with nothing to do answers from the up-to-date snapshot
// (project/no-op.ts) before the rest of bach-render is even loaded — the no-op build is the one
// people run most. Everything else is the full build (run-build.ts).

export async function run(args: string[], context: CliContext): Promise<number> {
  const { args: buildArgs, serve } = takeServeFlags(args);
  const parsed = parseBuildFlags(buildArgs, 'build');
  if (parsed.watch) return (await import('./watch.js')).run(args, context);
  if (serve) throw new UsageError('--serve goes with watch mode: bach-render watch --serve (or build --watch --serve)');
  const { path, file: manifestFile } = resolveManifestPath(context.cwd, parsed.path);
  const flags: BuildFlags = { ...parsed, path };
  if (!manifestFile) return reportMissingManifest(flags.path, context, flags.reporter === 'json');
  const settings = await readCommandSettings(flags, context, manifestFile);
  // The dry run's and JSON's answers have a form of their own: the full path prints them.
  if (!settings.dryRun && settings.reporter !== 'json') {
    const ids = answerFromSnapshot(manifestFile, settings);
    if (ids) {
      const palette = createPalette(shouldUseColor(context.stdout.isTTY, context.env));
      context.stdout.write(`${palette.bold(flags.path)}\n${formatNoChanges(ids, palette)}`);
      return 0;
    }
  }
  // Not a no-op: most such builds submit. Their submitter process starts now, booting and loading
  // its API client on another core while this one loads the rest and plans (issue 14 item 4);
  // the session uses it, or lets it go when nothing is sent (runBuild's session closes it, and the
  // `finally` covers a build that stops before it has a session).
  const spawned = mayCreateTasks(settings) ? (await import('../submitter/spawn-submitter.js')).spawnSubmitter() : undefined;
  try {
    return await (await import('./run-build.js')).runBuild(settings, context, manifestFile, spawned);
  } finally {
    spawned?.release();
  }
}

/** A build that may send create requests: not a dry run, and with keys or the embedded emulator (a keyless one stops before sending). */
function mayCreateTasks(settings: BuildSettings): boolean {
  return !settings.dryRun && (settings.api.kind === 'emulator' || settings.credentials !== null);
}
