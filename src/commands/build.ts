import type { CliContext } from '../cli/context.js';
import { parseBuildFlags, type BuildFlags } from '../build/flags.js';
import { formatNoChanges } from '../plan/format-plan.js';
import { createPalette, shouldUseColor } from '../report/colors.js';
import { checkUpToDate, resolveManifestPath } from '../state/up-to-date.js';
import { snapshotVersion } from '../version.js';

// `bach-render [build] [PATH]`. A build with nothing to do answers from the up-to-date snapshot
// (state/up-to-date.ts) before the rest of bach-render is even loaded — the no-op build is the one
// people run most. Everything else is the full build (build/run-build.ts).

export async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseBuildFlags(args, 'build');
  if (parsed.watch) return (await import('./watch.js')).run(args, context);
  const { path, file: manifestFile } = resolveManifestPath(context.cwd, parsed.path);
  const flags: BuildFlags = { ...parsed, path };
  // A missing key is reported before anything else happens (a dry run needs none).
  if (manifestFile && !flags.dryRun) await checkCredentials(flags, context, manifestFile);
  if (manifestFile && canAnswerFromSnapshot(flags)) {
    const ids = checkUpToDate(manifestFile, snapshotVersion());
    if (ids) {
      const palette = createPalette(shouldUseColor(context.stdout.isTTY, context.env));
      context.stdout.write(`${palette.bold(flags.path)}\n${formatNoChanges(ids, palette)}`);
      return 0;
    }
  }
  return (await import('../build/run-build.js')).runBuild(flags, context, manifestFile);
}

/** Flags that change what a plan is, or how it is shown, need the full path. */
function canAnswerFromSnapshot(flags: BuildFlags): boolean {
  return !flags.dryRun && !flags.only && !flags.force && flags.reporter !== 'json';
}

/** A missing key is an error whether or not there is work (the full build checks the same way). */
async function checkCredentials(flags: BuildFlags, context: CliContext, manifestFile: string): Promise<void> {
  if (flags.emulator) return;
  const [{ readProjectEnv }, { readCredentials, resolveBaseUrl }, { dirname }] = await Promise.all([
    import('../api/dotenv.js'),
    import('../api/credentials.js'),
    import('node:path'),
  ]);
  const env = await readProjectEnv(dirname(manifestFile), context.env);
  resolveBaseUrl(flags.baseUrl, env);
  readCredentials(env);
}
