import { parseArgs } from 'node:util';
import type { Resolution } from '../contract/types.js';
import type { EmulatorConfigPatch } from './config.js';

// `bach-render emulator` flags → { port, host, configFile, … } and a configuration patch. Pure, so
// the mapping is unit-tested without starting anything. Values are only parsed here (numbers,
// lists, ranges); their limits are checked by applyConfigPatch, like every other source of settings.

export interface EmulatorFlags {
  port: number;
  host: string;
  configFile: string | undefined;
  json: boolean;
  verbose: boolean;
  patch: EmulatorConfigPatch;
}

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export const DEFAULT_PORT = 8787;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'processing-ms': { type: 'string' },
  'processing-spread': { type: 'string' },
  'timing-seed': { type: 'string' },
  'pending-ms': { type: 'string' },
  'concurrency-per-key': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-limit-mode': { type: 'string' },
  'rate-limit-no-retry-after': { type: 'boolean' },
  credits: { type: 'string' },
  'plan-max-duration': { type: 'string' },
  'plan-resolutions': { type: 'string' },
  'sensitive-word': { type: 'string', multiple: true },
  'result-ttl-ms': { type: 'string' },
  'upload-ttl-ms': { type: 'string' },
  'batch-ttl-ms': { type: 'string' },
  'result-padding-bytes': { type: 'string' },
  'fault-seed': { type: 'string' },
  'fault-5xx': { type: 'string' },
  'fault-drop': { type: 'string' },
  'fault-drop-after-create': { type: 'string' },
  'fault-latency': { type: 'string' },
  'fault-task-failed': { type: 'string' },
  'fault-429': { type: 'string' },
  'fault-cdn': { type: 'boolean' },
} as const;

export function parseEmulatorFlags(args: string[]): EmulatorFlags {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new FlagError(error instanceof Error ? error.message : String(error));
  }
  const text = (name: string) => values[name] as string | undefined;
  const patch: EmulatorConfigPatch = {};
  const faults: NonNullable<EmulatorConfigPatch['faults']> = {};
  const plan: NonNullable<EmulatorConfigPatch['plan']> = {};

  const numberFlags: [string, (value: number) => void][] = [
    ['processing-ms', (v) => (patch.processingMs = v)],
    ['processing-spread', (v) => (patch.processingSpread = v)],
    ['pending-ms', (v) => (patch.pendingMs = v)],
    ['concurrency-per-key', (v) => (patch.concurrencyPerKey = v)],
    ['credits', (v) => (patch.credits = v)],
    ['plan-max-duration', (v) => (plan.maxDuration = v)],
    ['result-ttl-ms', (v) => (patch.resultTtlMs = v)],
    ['upload-ttl-ms', (v) => (patch.uploadTtlMs = v)],
    ['batch-ttl-ms', (v) => (patch.batchTtlMs = v)],
    ['result-padding-bytes', (v) => (patch.resultPaddingBytes = v)],
    ['fault-5xx', (v) => (faults.error5xx = v)],
    ['fault-drop', (v) => (faults.drop = v)],
    ['fault-drop-after-create', (v) => (faults.dropAfterCreate = v)],
    ['fault-task-failed', (v) => (faults.taskFailed = v)],
    ['fault-429', (v) => (faults.rateLimit429 = v)],
  ];
  for (const [name, set] of numberFlags) {
    const value = text(name);
    if (value !== undefined) set(parseNumber(value, name));
  }
  const rateLimit = text('rate-limit');
  if (rateLimit !== undefined) {
    const [rps, burst] = rateLimit.split(':');
    patch.rateLimit = { requestsPerSecond: parseNumber(rps ?? '', 'rate-limit') };
    if (burst !== undefined) patch.rateLimit.burst = parseNumber(burst, 'rate-limit');
  }
  const mode = text('rate-limit-mode');
  if (mode !== undefined || values['rate-limit-no-retry-after']) {
    // Without --rate-limit the patch lacks requestsPerSecond, which applyConfigPatch then asks for (as it
    // checks the mode against the modes).
    const limit = (patch.rateLimit ??= {} as NonNullable<typeof patch.rateLimit>);
    if (mode !== undefined) limit.mode = mode as NonNullable<typeof limit.mode>;
    if (values['rate-limit-no-retry-after']) limit.retryAfter = false;
  }
  const resolutions = text('plan-resolutions');
  // Checked against the resolutions by applyConfigPatch.
  if (resolutions !== undefined) plan.resolutions = resolutions.split(',').map((item) => item.trim()) as Resolution[];
  const words = values['sensitive-word'] as string[] | undefined;
  if (words) patch.sensitiveWords = words;
  const seed = text('fault-seed');
  if (seed !== undefined) faults.seed = parseSeed(seed);
  const timingSeed = text('timing-seed');
  if (timingSeed !== undefined) patch.timingSeed = parseSeed(timingSeed);
  const latency = text('fault-latency');
  if (latency !== undefined) faults.latencyMs = parseLatency(latency);
  if (values['fault-cdn']) faults.cdn = true;
  if (Object.keys(faults).length > 0) patch.faults = faults;
  if (Object.keys(plan).length > 0) patch.plan = plan;

  const port = text('port') === undefined ? DEFAULT_PORT : parseNumber(text('port')!, 'port');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FlagError(`--port: must be a whole number from 0 to 65535, got ${text('port')}`);
  return {
    port,
    host: text('host') ?? '127.0.0.1',
    configFile: text('config'),
    json: Boolean(values.json),
    verbose: Boolean(values.verbose),
    patch,
  };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function parseNumber(value: string, name: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new FlagError(`--${name}: expected a number, got "${value}"`);
  return number;
}

/** A whole number is a number seed, anything else a string seed. */
function parseSeed(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** `250` or `100-500` (a range drawn per request). */
function parseLatency(value: string): number | [number, number] {
  const range = /^(\d+)-(\d+)$/.exec(value.trim());
  if (range) return [Number(range[1]), Number(range[2])];
  return parseNumber(value, 'fault-latency');
}
