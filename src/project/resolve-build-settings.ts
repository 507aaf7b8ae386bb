import { readCredentials, resolveBaseUrl, type Env } from '../api/credentials.js';
import { DEFAULT_BASE_URL } from '../contract/capabilities.js';
import { BachError } from '../errors.js';
import { parseIdList } from '../plan/selection.js';
import { parseNumber } from '../util/parse-number.js';
import type { ApiTarget, BuildFlags, BuildSettings } from './build-settings.js';
import type { DotEnv } from './dotenv.js';
import { guardedSecretsOf } from './guarded-secrets.js';

// Every setting of a build decided in one place, from the parsed command line, the process
// environment and the project's `.env` (pure: the command reads the file once and passes it in).
//
//   API address   --base-url, else BACH_BASE_URL from the process environment, else the public API.
//                 Never from a file in the project: a `.env` (or manifest) that a branch adds must
//                 not redirect signed requests — tokens, images, prompts — to a server of its
//                 choosing, so a `.env` that sets BACH_BASE_URL is refused, whatever else is set.
//   credentials   BACH_ACCESS_KEY / BACH_SECRET_KEY from the process environment, then `.env`;
//                 needed only when the command will send something (not plan, not --dry-run, not
//                 the embedded emulator, which hands out its own keys).
//   poll interval --poll-interval, else BACH_POLL_INTERVAL (environment, then `.env`), else 10 s
//                 (1 s against the embedded emulator). It is the floor: the adaptive poller never
//                 polls a task sooner after its previous poll (render/poll-schedule.ts).
//   poll schedule BACH_POLL (environment, then `.env`): `adaptive` (the default: near each task's
//                 learned end) or `fixed` (every poll interval, ±10%, as before issue 14). An
//                 environment setting rather than a flag: it is for comparing and for the rare
//                 server whose timings mislead, not for every build.
//   the rest      as the flags say: selection (split, trimmed ids), concurrency, retries, budget.

const DEFAULT_POLL_MS = 10_000;
const EMULATOR_POLL_MS = 1_000;

export function resolveBuildSettings(flags: BuildFlags, env: Env, dotenv: DotEnv | null): BuildSettings {
  if (dotenv && Object.hasOwn(dotenv.values, 'BACH_BASE_URL')) {
    throw new BachError('base-url-in-project', `${dotenv.file} sets BACH_BASE_URL; the API address is never read from a file in the project`, {
      hint:
        'A .env that arrives with a branch could send your signed requests to a server of its choosing.\n' +
        'Remove BACH_BASE_URL from .env, and set it in the environment or pass --base-url instead.',
    });
  }
  const withDotEnv: Env = { ...dotenv?.values, ...definedOnly(env) };
  const api = resolveApiTarget(flags, env);
  // Keys are read when the command talks to the API: a build that sends, or `plan`'s free queries.
  const talks = (!flags.dryRun || flags.queriesApi === true) && api.kind === 'api';
  return {
    path: flags.path,
    api,
    ...readCredentialsIfSending(talks, withDotEnv),
    guardedSecrets: guardedSecretsOf(withDotEnv),
    pollIntervalMs: flags.pollIntervalMs ?? readPollInterval(withDotEnv) ?? (api.kind === 'emulator' ? EMULATOR_POLL_MS : DEFAULT_POLL_MS),
    adaptivePoll: readPollSchedule(withDotEnv) === 'adaptive',
    only: parseIdList(flags.only),
    force: parseIdList(flags.force),
    concurrency: flags.concurrency,
    retries: flags.retries,
    allowRerender: flags.allowRerender,
    maxSeconds: flags.maxSeconds,
    dryRun: flags.dryRun,
    wait: flags.wait,
    reporter: flags.reporter,
    watch: flags.watch,
    debounceMs: flags.debounceMs,
    yes: flags.yes,
    remote: flags.remote,
  };
}

/** One line naming where requests go, when that is not the public API (null when it is). */
export function describeApiTarget(api: ApiTarget): string | null {
  if (api.kind === 'emulator' || api.baseUrl === DEFAULT_BASE_URL) return null;
  return `Bach API: ${api.baseUrl} (from ${api.source}; the default is ${DEFAULT_BASE_URL})`;
}

function resolveApiTarget(flags: BuildFlags, env: Env): ApiTarget {
  if (flags.emulator) return { kind: 'emulator' };
  const baseUrl = resolveBaseUrl(flags.baseUrl, { BACH_BASE_URL: env.BACH_BASE_URL });
  const source = flags.baseUrl?.trim() ? '--base-url' : env.BACH_BASE_URL?.trim() ? 'BACH_BASE_URL' : 'default';
  return { kind: 'api', baseUrl, origin: new URL(baseUrl).origin, source };
}

function readPollInterval(env: Env): number | undefined {
  const text = env.BACH_POLL_INTERVAL;
  if (text === undefined || text.trim() === '') return undefined;
  return Math.round(parseNumber('BACH_POLL_INTERVAL', text, { min: 0.001 }) * 1000);
}

function readPollSchedule(env: Env): 'adaptive' | 'fixed' {
  const text = env.BACH_POLL?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'adaptive') return 'adaptive';
  if (text === 'fixed') return 'fixed';
  throw new BachError('bad-setting', `BACH_POLL must be "adaptive" or "fixed", got "${env.BACH_POLL}"`);
}

function definedOnly(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** The keys when this build may send; a missing key is kept as the error to raise if it does send. */
function readCredentialsIfSending(sends: boolean, env: Env): Pick<BuildSettings, 'credentials' | 'credentialsError'> {
  if (!sends) return { credentials: null, credentialsError: null };
  try {
    return { credentials: readCredentials(env), credentialsError: null };
  } catch (error) {
    if (error instanceof BachError && error.code === 'missing-credentials') return { credentials: null, credentialsError: error };
    throw error;
  }
}
