import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

// Flags shared by `build` and `watch`, parsed strictly: an unknown flag or a bad value is a usage
// error naming the flag, never silently ignored (a typo in --max-seconds must not spend money).

export interface BuildFlags {
  /** The manifest, as found by state/up-to-date.ts resolveManifestPath (see ParsedBuildFlags). */
  path: string;
  concurrency: number;
  only: string[] | undefined;
  force: string[] | undefined;
  dryRun: boolean;
  maxSeconds: number | undefined;
  retries: number;
  allowRerender: boolean;
  /** Undefined: BACH_POLL_INTERVAL, else 10 s (1 s against --emulator). */
  pollIntervalMs: number | undefined;
  reporter: 'auto' | 'plain' | 'json';
  baseUrl: string | undefined;
  emulator: boolean;
  wait: boolean;
  watch: boolean;
  debounceMs: number;
}

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
    only: values.only,
    force: values.force,
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
  };
}

export function parseNumber(flag: string, text: string, rules: { integer?: boolean; min?: number; max?: number }): number {
  const value = Number(text);
  const kind = rules.integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(value) || (rules.integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${kind}, got "${text}"`);
  }
  if (rules.min !== undefined && value < rules.min) throw new UsageError(`${flag} must be at least ${rules.min}, got ${text}`);
  if (rules.max !== undefined && value > rules.max) throw new UsageError(`${flag} must be at most ${rules.max}, got ${text}`);
  return value;
}

/** node's parseArgs messages mention internals ("To specify a positional argument…"); keep the first sentence. */
export function cleanParseError(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('. ')[0]!.replace(/\.$/, '');
  return `${command}: ${first}`;
}
