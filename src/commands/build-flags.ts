import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { BuildFlags } from '../project/build-settings.js';
import { parseNumber } from '../util/parse-number.js';
import { readRemoteFlags, REMOTE_OPTIONS } from './remote-flags.js';

// Flags shared by `build` and `watch`, parsed strictly: an unknown flag or a bad value is a usage
// error naming the flag, never silently ignored (a typo in --max-seconds must not spend money).

/** Before the manifest is found: `path` is the PATH argument, undefined when none was given. */
export type ParsedBuildFlags = Omit<BuildFlags, 'path'> & { path: string | undefined };

const OPTIONS = {
  concurrency: { type: 'string' },
  only: { type: 'string', multiple: true },
  force: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'max-seconds': { type: 'string' },
  retries: { type: 'string' },
  'allow-rerender': { type: 'boolean' },
  'poll-interval': { type: 'string' },
  reporter: { type: 'string' },
  'base-url': { type: 'string' },
  emulator: { type: 'boolean' },
  wait: { type: 'boolean' },
  watch: { type: 'boolean' },
  debounce: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  ...REMOTE_OPTIONS,
} as const;

export function parseBuildFlags(args: string[], command: 'build' | 'watch'): ParsedBuildFlags {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(cleanParseError(error, command));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument "${positionals[1]}" (one manifest path at a time; for several shots use --only a,b)`);
  }
  const reporter = values.reporter ?? 'auto';
  if (reporter !== 'auto' && reporter !== 'plain' && reporter !== 'json') {
    throw new UsageError(`--reporter must be auto, plain or json, got "${reporter}"`);
  }
  const pollSeconds = values['poll-interval'] === undefined ? undefined : parseNumber('--poll-interval', values['poll-interval'], { min: 0.001 });
  return {
    path: positionals[0],
    concurrency: parseNumber('--concurrency', values.concurrency ?? '4', { integer: true, min: 1, max: 256 }),
    only: values.only ?? [],
    force: values.force ?? [],
    dryRun: values['dry-run'] ?? false,
    maxSeconds: values['max-seconds'] === undefined ? undefined : parseNumber('--max-seconds', values['max-seconds'], { min: 0 }),
    retries: parseNumber('--retries', values.retries ?? '2', { integer: true, min: 0, max: 100 }),
    allowRerender: values['allow-rerender'] ?? false,
    pollIntervalMs: pollSeconds === undefined ? undefined : Math.round(pollSeconds * 1000),
    reporter,
    baseUrl: values['base-url'],
    emulator: values.emulator ?? false,
    wait: values.wait ?? false,
    watch: command === 'watch' || (values.watch ?? false),
    debounceMs: parseNumber('--debounce', values.debounce ?? '100', { integer: true, min: 0, max: 60_000 }),
    yes: values.yes ?? false,
    remote: readRemoteFlags(values),
  };
}

/** node's parseArgs messages mention internals ("To specify a positional argument…"); keep the first sentence. */
export function cleanParseError(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('. ')[0]!.replace(/\.$/, '');
  return `${command}: ${first}`;
}

/**
 * The flags of a command that decides its settings as a build does but takes few flags of its own
 * (plan, doctor, pull): a build's defaults, with what the command sets.
 */
export function quietBuildFlags(path: string, overrides: Partial<BuildFlags>): BuildFlags {
  return {
    path,
    concurrency: 1,
    only: [],
    force: [],
    dryRun: false,
    maxSeconds: undefined,
    retries: 0,
    allowRerender: false,
    pollIntervalMs: undefined,
    reporter: 'plain',
    baseUrl: undefined,
    emulator: false,
    wait: false,
    watch: false,
    debounceMs: 0,
    yes: false,
    ...overrides,
  };
}
