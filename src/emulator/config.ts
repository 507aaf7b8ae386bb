import { RESOLUTIONS } from '../contract/capabilities.js';
import type { Resolution } from '../contract/types.js';

// The emulator's settings: one type, one set of defaults, one validator. The same validator checks
// the --config file, the flags, configure() and POST /_emulator/config, so a typo or an out-of-range
// value is refused the same way everywhere (unknown keys are errors: a misspelt fault that silently
// does nothing would make a failure test pass for the wrong reason).
//
// Precedence: defaults < --config file < flags; then configure() / POST /_emulator/config at run time.
// A patch replaces top-level keys, except `faults` and `plan`, which are merged one level deep (so
// `{ faults: { drop: 0.1 } }` keeps the seed).

export interface EmulatorKey {
  accessKey: string;
  secretKey: string;
}

export interface RateLimitConfig {
  /** Tokens added to a key's bucket per second; for a fixed window, its limit per second. */
  requestsPerSecond: number;
  /** Bucket size. Default: max(1, ceil(requestsPerSecond)). Token bucket only. */
  burst?: number;
  /** `token-bucket` (default) or `fixed-window` (rate-limit.ts describes both). */
  mode?: 'token-bucket' | 'fixed-window';
  /** Fixed window only: its length in ms. Default 1000. */
  windowMs?: number;
  /** Send `Retry-After` with a 429. Default true. */
  retryAfter?: boolean;
}

export interface PlanConfig {
  /** Longest duration (seconds) the plan allows; longer → 403/1300. */
  maxDuration?: number;
  /** Resolutions the plan allows; others → 403/1301. */
  resolutions?: Resolution[];
}

export interface FaultConfig {
  /** Seed of every fault decision; the same seed and the same requests give the same faults. */
  seed: number | string;
  /** Probability (0..1) of a 500/5000 answer without doing the work. */
  error5xx: number;
  /** Probability of destroying the socket without an answer and without doing the work. */
  drop: number;
  /** Create routes only: probability of creating the task (billed), then destroying the socket. */
  dropAfterCreate: number;
  /** Added delay before handling: a fixed number of ms, or [min, max] drawn per request. */
  latencyMs: number | [number, number];
  /** Probability that a created task ends TASK_FAILED. */
  taskFailed: number;
  /** Probability of a spurious 429/1800. */
  rateLimit429: number;
  /** Apply error5xx, drop and latency to CDN downloads too. Default false. */
  cdn: boolean;
}

export interface EmulatorConfig {
  /** Time a task spends in TASK_PROCESSING (the mean, with a spread). Default 2000. */
  processingMs: number;
  /** Each task's time is uniform within ±this fraction of processingMs (0..1). Default 0. */
  processingSpread: number;
  /** Seed of the processing-time draws; the same seed and requests give the same times. Default 0. */
  timingSeed: number | string;
  /** Minimum time a task spends in TASK_PENDING. Default 0. */
  pendingMs: number;
  /** Tasks of one access key in TASK_PROCESSING at once; the rest wait as TASK_PENDING, in order. Default 4. */
  concurrencyPerKey: number;
  /** Per-key token bucket; null = no limit. Default null. */
  rateLimit: RateLimitConfig | null;
  /** Seconds of video the account may still generate; null = unlimited. Default null. */
  credits: number | null;
  plan: PlanConfig;
  /** Case-insensitive substrings refused in prompt, negative_prompt and audio_prompt (1001). */
  sensitiveWords: string[];
  /** A result URL answers 403 `Request has expired` this long after the task succeeded; null = never. */
  resultTtlMs: number | null;
  /** An uploaded image's CDN URL answers 404 this long after the upload; null = never. */
  uploadTtlMs: number | null;
  /** A batch id answers 404/1203 this long after the batch was created; null = never. */
  batchTtlMs: number | null;
  /** Extra bytes in a trailing `free` box of every result (for large-download benchmarks). Default 0. */
  resultPaddingBytes: number;
  /** Accepted key pairs; the first is the one printed and returned by startEmulator. */
  keys: EmulatorKey[];
  faults: FaultConfig;
}

/** What a patch may hold: any top-level key; `faults` and `plan` partially. */
export type EmulatorConfigPatch = Partial<Omit<EmulatorConfig, 'faults' | 'plan'>> & {
  faults?: Partial<FaultConfig>;
  plan?: PlanConfig;
};

export const DEFAULT_ACCESS_KEY = 'bach-emulator-access-key';
export const DEFAULT_SECRET_KEY = 'bach-emulator-secret-key';

export function createDefaultConfig(): EmulatorConfig {
  return {
    processingMs: 2000,
    processingSpread: 0,
    timingSeed: 0,
    pendingMs: 0,
    concurrencyPerKey: 4,
    rateLimit: null,
    credits: null,
    plan: {},
    sensitiveWords: [],
    resultTtlMs: null,
    uploadTtlMs: null,
    batchTtlMs: null,
    resultPaddingBytes: 0,
    keys: [{ accessKey: DEFAULT_ACCESS_KEY, secretKey: DEFAULT_SECRET_KEY }],
    faults: {
      seed: 0,
      error5xx: 0,
      drop: 0,
      dropAfterCreate: 0,
      latencyMs: 0,
      taskFailed: 0,
      rateLimit429: 0,
      cdn: false,
    },
  };
}

/** Raised for an invalid setting; `message` starts with the setting's path. */
export class EmulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorConfigError';
  }
}

/**
 * Validates `patch` (untrusted: a file, a flag, an HTTP body) and returns `base` with it applied.
 * Throws EmulatorConfigError naming the first bad setting; `base` is never modified.
 */
export function applyConfigPatch(base: EmulatorConfig, patch: unknown, source = 'config'): EmulatorConfig {
  if (!isPlainObject(patch)) throw new EmulatorConfigError(`${source}: must be a JSON object`);
  const next: EmulatorConfig = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const path = `${source}.${key}`;
    switch (key) {
      case 'processingMs':
      case 'pendingMs':
      case 'resultPaddingBytes':
        next[key] = checkInteger(value, path, 0);
        break;
      case 'processingSpread':
        next.processingSpread = checkFraction(value, path);
        break;
      case 'timingSeed':
        next.timingSeed = checkSeed(value, path);
        break;
      case 'concurrencyPerKey':
        next.concurrencyPerKey = checkInteger(value, path, 1);
        break;
      case 'resultTtlMs':
      case 'uploadTtlMs':
      case 'batchTtlMs':
        next[key] = value === null ? null : checkInteger(value, path, 0);
        break;
      case 'credits':
        next.credits = value === null ? null : checkNumber(value, path, 0);
        break;
      case 'rateLimit':
        next.rateLimit = value === null ? null : checkRateLimit(value, path);
        break;
      case 'plan':
        next.plan = { ...next.plan, ...checkPlan(value, path) };
        break;
      case 'sensitiveWords':
        next.sensitiveWords = checkStringList(value, path);
        break;
      case 'keys':
        next.keys = checkKeys(value, path);
        break;
      case 'faults':
        next.faults = { ...next.faults, ...checkFaults(value, path) };
        break;
      default:
        throw new EmulatorConfigError(`${path}: unknown setting (see docs/emulator.md for the list)`);
    }
  }
  return next;
}

function checkRateLimit(value: unknown, path: string): RateLimitConfig {
  if (!isPlainObject(value)) throw new EmulatorConfigError(`${path}: must be an object { requestsPerSecond, burst?, mode?, windowMs?, retryAfter? } or null`);
  rejectUnknown(value, ['requestsPerSecond', 'burst', 'mode', 'windowMs', 'retryAfter'], path);
  const result: RateLimitConfig = {
    requestsPerSecond: checkNumber(value.requestsPerSecond, `${path}.requestsPerSecond`, 0, { exclusiveMin: true }),
  };
  if (value.burst !== undefined) result.burst = checkInteger(value.burst, `${path}.burst`, 1);
  if (value.mode !== undefined) {
    if (value.mode !== 'token-bucket' && value.mode !== 'fixed-window') {
      throw new EmulatorConfigError(`${path}.mode: must be "token-bucket" or "fixed-window"`);
    }
    result.mode = value.mode;
  }
  if (value.windowMs !== undefined) result.windowMs = checkInteger(value.windowMs, `${path}.windowMs`, 1);
  if (value.retryAfter !== undefined) {
    if (typeof value.retryAfter !== 'boolean') throw new EmulatorConfigError(`${path}.retryAfter: must be true or false`);
    result.retryAfter = value.retryAfter;
  }
  return result;
}

function checkPlan(value: unknown, path: string): PlanConfig {
  if (!isPlainObject(value)) throw new EmulatorConfigError(`${path}: must be an object { maxDuration?, resolutions? }`);
  rejectUnknown(value, ['maxDuration', 'resolutions'], path);
  const plan: PlanConfig = {};
  if (value.maxDuration !== undefined) plan.maxDuration = checkInteger(value.maxDuration, `${path}.maxDuration`, 0);
  if (value.resolutions !== undefined) {
    const list = checkStringList(value.resolutions, `${path}.resolutions`);
    for (const item of list) {
      if (!(RESOLUTIONS as readonly string[]).includes(item)) {
        throw new EmulatorConfigError(`${path}.resolutions: "${item}" is not one of ${RESOLUTIONS.join(', ')}`);
      }
    }
    plan.resolutions = list as Resolution[];
  }
  return plan;
}

function checkKeys(value: unknown, path: string): EmulatorKey[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new EmulatorConfigError(`${path}: must be a non-empty list of { accessKey, secretKey }`);
  }
  return value.map((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (!isPlainObject(item)) throw new EmulatorConfigError(`${itemPath}: must be an object { accessKey, secretKey }`);
    rejectUnknown(item, ['accessKey', 'secretKey'], itemPath);
    return {
      accessKey: checkText(item.accessKey, `${itemPath}.accessKey`),
      secretKey: checkText(item.secretKey, `${itemPath}.secretKey`),
    };
  });
}

function checkFaults(value: unknown, path: string): Partial<FaultConfig> {
  if (!isPlainObject(value)) throw new EmulatorConfigError(`${path}: must be an object`);
  const faults: Partial<FaultConfig> = {};
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}.${key}`;
    switch (key) {
      case 'seed':
        faults.seed = checkSeed(item, itemPath);
        break;
      case 'error5xx':
      case 'drop':
      case 'dropAfterCreate':
      case 'taskFailed':
      case 'rateLimit429':
        faults[key] = checkProbability(item, itemPath);
        break;
      case 'latencyMs':
        faults.latencyMs = checkLatency(item, itemPath);
        break;
      case 'cdn':
        if (typeof item !== 'boolean') throw new EmulatorConfigError(`${itemPath}: must be true or false`);
        faults.cdn = item;
        break;
      default:
        throw new EmulatorConfigError(`${itemPath}: unknown fault (seed, error5xx, drop, dropAfterCreate, latencyMs, taskFailed, rateLimit429, cdn)`);
    }
  }
  return faults;
}

function checkLatency(value: unknown, path: string): number | [number, number] {
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new EmulatorConfigError(`${path}: must be a number or [min, max]`);
    const min = checkInteger(value[0], `${path}[0]`, 0);
    const max = checkInteger(value[1], `${path}[1]`, 0);
    if (max < min) throw new EmulatorConfigError(`${path}: max (${max}) is less than min (${min})`);
    return [min, max];
  }
  return checkInteger(value, path, 0);
}

function checkProbability(value: unknown, path: string): number {
  const number = checkNumber(value, path, 0);
  if (number > 1) throw new EmulatorConfigError(`${path}: must be a probability between 0 and 1, got ${number}`);
  return number;
}

function checkFraction(value: unknown, path: string): number {
  const number = checkNumber(value, path, 0);
  if (number > 1) throw new EmulatorConfigError(`${path}: must be a fraction between 0 and 1, got ${number}`);
  return number;
}

function checkSeed(value: unknown, path: string): number | string {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new EmulatorConfigError(`${path}: must be a number or a string`);
  }
  return value;
}

function checkNumber(value: unknown, path: string, min: number, options: { exclusiveMin?: boolean } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new EmulatorConfigError(`${path}: must be a number`);
  if (options.exclusiveMin ? value <= min : value < min) {
    throw new EmulatorConfigError(`${path}: must be ${options.exclusiveMin ? 'greater than' : 'at least'} ${min}, got ${value}`);
  }
  return value;
}

function checkInteger(value: unknown, path: string, min: number): number {
  const number = checkNumber(value, path, min);
  if (!Number.isInteger(number)) throw new EmulatorConfigError(`${path}: must be a whole number, got ${number}`);
  return number;
}

function checkText(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new EmulatorConfigError(`${path}: must be a non-empty string`);
  return value;
}

function checkStringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw new EmulatorConfigError(`${path}: must be a list of strings`);
  return value.map((item, index) => checkText(item, `${path}[${index}]`));
}

function rejectUnknown(value: Record<string, unknown>, allowed: string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new EmulatorConfigError(`${path}.${key}: unknown setting (allowed: ${allowed.join(', ')})`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
