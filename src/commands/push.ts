import { parseArgs } from 'node:util';
import { BachError, UsageError } from '../errors.js';
import { describeReadOnly } from '../remote/remote-settings.js';
import { pushLockResults, type PushShotResult } from '../render/push-lock-results.js';
import { statePaths } from '../state/paths.js';
import type { CliContext } from '../util/cli-context.js';
import { openCommandRemote, REMOTE_OPTIONS } from './command-remote.js';
import { createProgress } from './progress-line.js';
import { readLockedShots } from './read-locked-shots.js';

// `bach-render push [PATH]`: uploads every result bach.lock references (from .bach/cache) that the team
// cache lacks — for a project that rendered before it had a remote, or after builds that could not
// push. Needs a writable remote: none configured, --no-remote or read-only is an error before any
// request. Exit: 0 when the remote now holds every locked result (or another take written first: left
// alone, reported); 1 when one could not be pushed (not in the local cache, a failure); 130 when interrupted.

const OPTIONS = { ...REMOTE_OPTIONS, concurrency: { type: 'string' } } as const;

export async function run(args: string[], context: CliContext): Promise<number> {
  const { path, flags } = parsePushArgs(args);
  const project = await readLockedShots(path, context);
  if (!project.ok) return 1;
  const { manifest, shots } = project;
  const remote = await openCommandRemote(flags, manifest, context);
  const team = remote.cache;
  if (!team || !remote.settings.enabled) {
    throw new BachError('no-remote', remote.settings.enabled === false && remote.settings.reason === 'no-remote' ? 'push: --no-remote leaves nothing to push to' : 'push: no team cache is configured', {
      hint: 'Name one with `remote:` in bach.yaml, BACH_REMOTE or --remote URL (see README: Team cache).',
    });
  }
  if (team.readOnly) {
    await team.close();
    const why = remote.settings.readOnlyReason === undefined ? 'read-only' : describeReadOnly(remote.settings.readOnlyReason);
    throw new BachError('remote-read-only', `push: team cache ${team.name} is read-only here (${why}); nothing was pushed`, {
      hint: 'Push from a machine or job allowed to write (with credentials that may write and, in CI, BACH_REMOTE_SIGNING_KEY).',
    });
  }
  const concurrency = flags.concurrency === undefined ? 4 : Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${flags.concurrency}"`);

  context.stderr.write(`Team cache: ${team.name}\n`);
  const progress = createProgress(context.stderr, 'push');
  let outcome;
  try {
    outcome = await pushLockResults({
      cacheDir: statePaths(manifest.root).cache,
      entries: shots,
      team,
      concurrency,
      signal: context.interrupt,
      onShot: ({ done, total, result }) => progress.step(done, total, `${result.shotId} ${describe(result)}`),
    });
  } finally {
    progress.clear();
    await team.close();
  }
  if (context.interrupt.aborted) {
    context.stderr.write('push: interrupted; what was pushed is complete (the remote never holds half a result).\n');
    return 130;
  }
  if (!outcome.ok) {
    context.stderr.write(`error: ${outcome.error.message}\n`);
    return 1;
  }
  const { results } = outcome;
  const count = (kind: PushShotResult['kind']) => results.filter((result) => result.kind === kind).length;
  const problems = results.filter((result): result is Extract<PushShotResult, { kind: 'no-local' | 'conflict' | 'failed' }> => 'why' in result);
  const lines = [
    `Pushed ${count('pushed')} of ${shots.length} locked ${shots.length === 1 ? 'result' : 'results'} to ${team.name}: ${count('present')} already there, ` +
      `${count('conflict')} held by another take, ${count('no-local') + count('failed')} not pushed.`,
  ];
  for (const shot of problems) lines.push(`  ${shot.kind === 'conflict' ? 'left' : 'not pushed'} ${shot.shotId}: ${shot.why}`);
  if (count('no-local') > 0) lines.push('A result missing from .bach/cache can be fetched first with `bach-render pull`, then pushed.');
  const failedLine = problems.find((result) => result.kind === 'failed');
  if (failedLine) context.stderr.write(`error: ${failedLine.why}\n`);
  context.stdout.write(`${lines.join('\n')}\n`);
  return count('no-local') + count('failed') > 0 ? 1 : 0;
}

function describe(result: PushShotResult): string {
  switch (result.kind) {
    case 'pushed':
      return 'pushed';
    case 'present':
      return 'already in the team cache';
    case 'conflict':
      return 'another take is there (left alone)';
    case 'no-local':
      return `not pushed: ${result.why}`;
    case 'failed':
      return 'failed';
  }
}

function parsePushArgs(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`push: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render push [PATH] [--remote URL]' });
  }
  if (parsed.positionals.length > 1) throw new UsageError(`push: expected at most one PATH, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  return { path: parsed.positionals[0], flags: parsed.values };
}
