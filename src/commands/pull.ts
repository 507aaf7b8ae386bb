import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { BachApi } from '../api/types.js';
import { readCredentials } from '../api/credentials.js';
import { BachError, UsageError } from '../errors.js';
import { readDotEnv } from '../project/dotenv.js';
import { describeApiTarget, resolveBuildSettings } from '../project/resolve-build-settings.js';
import { pullLockResults, type PullShotResult } from '../render/pull-lock-results.js';
import { statePaths } from '../state/paths.js';
import { acquireProcessLock } from '../state/process-lock.js';
import type { CliContext } from '../util/cli-context.js';
import { quietBuildFlags } from './build-flags.js';
import { openCommandRemote, REMOTE_OPTIONS } from './command-remote.js';
import { createProgress } from './progress-line.js';
import { readLockedShots } from './read-locked-shots.js';

// `bach-render pull [PATH]`: every video bach.lock describes, into the output folder and .bach/cache,
// without submitting anything — from the team cache, else from the API by the lock's task id (a query
// and a download are free). Keys are read only if the API is actually asked (lazily, on the first shot
// the team cache lacks); without keys such a shot is "missing" with that reason, not an error of its own.
// Exit: 0 when every locked shot is in place; 1 when one is missing, on a team-cache failure under
// --require-remote, or on an error; 130 when interrupted.

const OPTIONS = { ...REMOTE_OPTIONS, 'base-url': { type: 'string' }, concurrency: { type: 'string' }, wait: { type: 'boolean' } } as const;

export async function run(args: string[], context: CliContext): Promise<number> {
  const { path, flags } = parsePullArgs(args);
  const project = await readLockedShots(path, context);
  if (!project.ok) return 1;
  const { manifest, shots, unlocked } = project;
  // The API address and the .env rules exactly as a build decides them (a .env setting BACH_BASE_URL
  // is refused); `dryRun` keeps the keys out until a shot needs the API.
  const dotenv = await readDotEnv(dirname(manifest.file));
  const settings = resolveBuildSettings(
    quietBuildFlags(manifest.file, { concurrency: 4, dryRun: true, baseUrl: flags['base-url'] }),
    context.env,
    dotenv,
  );
  const remote = await openCommandRemote(flags, manifest, context);
  const team = remote.cache;
  const require = remote.settings.require;
  const concurrency = flags.concurrency === undefined ? 4 : Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${flags.concurrency}"`);

  let api: Promise<BachApi | null> | undefined;
  let keysMissing = false;
  const openApi = () =>
    (api ??= (async () => {
      if (settings.api.kind !== 'api') return null;
      let credentials;
      try {
        credentials = readCredentials({ ...dotenv?.values, ...context.env });
      } catch (error) {
        if (!(error instanceof BachError)) throw error;
        keysMissing = true;
        return null;
      }
      const target = describeApiTarget(settings.api);
      if (target) context.stderr.write(`${target}\n`);
      const { createApiClient } = await import('../api/client.js');
      return createApiClient({ baseUrl: settings.api.baseUrl, credentials });
    })());

  // One bach-render writing a folder at a time: pull writes outputs and .bach/cache as a build does.
  const folderLock = await acquireProcessLock(statePaths(manifest.root).processLock, {
    wait: flags.wait ?? false,
    signal: context.interrupt,
    command: 'pull',
    now: () => new Date(),
    onWaiting: (owner) => context.stderr.write(`waiting for another bach-render (pid ${owner.pid}) working in this folder…\n`),
  }).catch(async (error: unknown) => {
    await team?.close();
    throw error;
  });
  const remoteErrors: string[] = [];
  const progress = createProgress(context.stderr, 'pull');
  if (team) context.stderr.write(`Team cache: ${team.name}${team.readOnly ? ' (read-only)' : ''}\n`);
  let results: PullShotResult[];
  try {
    results = await pullLockResults({
      root: manifest.root,
      cacheDir: statePaths(manifest.root).cache,
      targets: shots,
      team,
      api: openApi,
      concurrency,
      signal: context.interrupt,
      onShot: ({ done, total, result }) => progress.step(done, total, `${result.shotId} ${describe(result)}`),
      onRemoteError: (error) => {
        progress.clear();
        remoteErrors.push(error.message);
        context.stderr.write(`${require ? 'error' : 'warning'}: ${error.message}\n`);
      },
    });
  } catch (error) {
    progress.clear();
    if (context.interrupt.aborted) {
      context.stderr.write('pull: interrupted; what was placed is complete, nothing half-written.\n');
      return 130;
    }
    throw error;
  } finally {
    await team?.close();
    if (api) await (await api)?.close();
    await folderLock.release();
  }
  progress.clear();
  if (context.interrupt.aborted) {
    context.stderr.write('pull: interrupted; what was placed is complete, nothing half-written.\n');
    return 130;
  }
  const count = (kind: PullShotResult['kind']) => results.filter((result) => result.kind === kind).length;
  const missing = results.filter((result): result is Extract<PullShotResult, { kind: 'missing' }> => result.kind === 'missing');
  const lines = [
    `Pulled ${shots.length} locked ${shots.length === 1 ? 'shot' : 'shots'}: ${count('team')} from the team cache, ${count('api')} from the API (earlier tasks, free), ` +
      `${count('present') + count('local')} already present${count('local') > 0 ? ` (${count('local')} restored from .bach/cache)` : ''}, ${missing.length} missing. Nothing was submitted.`,
  ];
  for (const shot of missing) lines.push(`  missing ${shot.shotId}: ${shot.why}`);
  if (keysMissing) lines.push('  (the API was not asked: set BACH_ACCESS_KEY and BACH_SECRET_KEY to fetch earlier tasks the team cache lacks)');
  if (unlocked.length > 0) lines.push(`Not in bach.lock (never rendered, nothing to pull): ${unlocked.join(', ')} — \`bach-render\` renders them.`);
  if (missing.length > 0) lines.push('A build renders the missing shots (`bach-render plan` shows what it costs).');
  context.stdout.write(`${lines.join('\n')}\n`);
  return missing.length > 0 || (require && remoteErrors.length > 0) ? 1 : 0;
}

function describe(result: PullShotResult): string {
  switch (result.kind) {
    case 'present':
      return 'already present';
    case 'local':
      return 'restored from .bach/cache';
    case 'team':
      return 'from the team cache';
    case 'api':
      return 'from the API (its earlier task)';
    case 'missing':
      return `missing: ${result.why}`;
  }
}

function parsePullArgs(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`pull: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render pull [PATH] [--remote URL] [--no-remote] [--require-remote] [--base-url URL]' });
  }
  if (parsed.positionals.length > 1) throw new UsageError(`pull: expected at most one PATH, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  return { path: parsed.positionals[0], flags: parsed.values };
}
