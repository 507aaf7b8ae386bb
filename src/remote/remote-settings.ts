import type { Env } from '../api/credentials.js';
import { BachError, UsageError } from '../errors.js';
import { parseRemoteUrl, type RemoteLocation } from './remote-url.js';
import { resolveS3Config } from './s3-config.js';

// Which team cache a run uses, and how (pure: everything is passed in). Precedence, highest first:
//   --no-remote  >  --remote URL  >  BACH_REMOTE  >  the manifest's `remote:` (committed, shared by git).
// Only the location comes from the manifest. The S3 endpoint and every credential come from the
// environment alone (s3-config.ts): a branch cannot send our signed requests elsewhere.
//
// Read-only (pull, never push or claim), highest first:
//   --remote-read-only  >  BACH_REMOTE_READ_ONLY=1|0  >  CI without BACH_REMOTE_SIGNING_KEY  >  S3 without
//   credentials (anonymous reads of a public bucket)  >  read-write.
// Decided: in CI the remote is read-only unless the job holds the signing key. CI systems give secrets
// to trusted branches only, so "has the signing key" is the natural line between the jobs that may
// write (main, release branches) and those that must not (pull requests from anyone): the safe setting
// needs no configuration, and a trusted job opts in by having the key (CREEP, CVE-2025-36852).
//
// --require-remote: any team-cache failure is an error (exit 1 before anything is paid) instead of a
// warning; with no remote configured it is itself an error.

export const SIGNING_KEY_VARIABLE = 'BACH_REMOTE_SIGNING_KEY';

export interface RemoteSettingsInput {
  /** `--remote URL`. */
  flag?: string | undefined;
  /** `--no-remote`. */
  noRemote?: boolean | undefined;
  /** `--remote-read-only`. */
  readOnly?: boolean | undefined;
  /** `--require-remote`. */
  requireRemote?: boolean | undefined;
  env: Env;
  /** The manifest's `remote:`, with where it was written (for the error message). */
  manifest?: { url: string; file: string; line: number; col: number } | undefined;
  /** What `--remote` and BACH_REMOTE paths are relative to. */
  cwd: string;
  /** The manifest's folder: what its `remote:` path is relative to. */
  root: string;
}

export type RemoteSource = 'flag' | 'env' | 'manifest';

export type ReadOnlyReason = 'flag' | 'env' | 'ci-without-signing-key' | 'no-credentials';

export type RemoteSettings =
  | { enabled: false; reason: 'not-configured' | 'no-remote'; require: false }
  | {
      enabled: true;
      location: RemoteLocation;
      source: RemoteSource;
      readOnly: boolean;
      readOnlyReason?: ReadOnlyReason;
      /** BACH_REMOTE_SIGNING_KEY is set: pushed records are signed, unlocked pulls must verify. */
      signed: boolean;
      require: boolean;
    };

export type EnabledRemoteSettings = Extract<RemoteSettings, { enabled: true }>;

/** Throws BachError (UsageError for flags) for settings that cannot work; nothing has run yet then. */
export function resolveRemoteSettings(input: RemoteSettingsInput): RemoteSettings {
  const require = input.requireRemote ?? false;
  if (input.noRemote) {
    if (require) throw new UsageError('--no-remote and --require-remote contradict each other');
    if (input.flag !== undefined) throw new UsageError('--no-remote and --remote contradict each other');
    return { enabled: false, reason: 'no-remote', require: false };
  }
  const chosen = chooseSource(input);
  if (!chosen) {
    if (require) {
      throw new BachError('no-remote', '--require-remote: no team cache is configured', {
        hint: 'Name one with `remote:` in bach.yaml, BACH_REMOTE or --remote URL.',
      });
    }
    return { enabled: false, reason: 'not-configured', require: false };
  }
  const location = chosen.location;
  const signed = readSigningKey(input.env) !== undefined;
  // The endpoint and credentials are checked now, so a bad AWS_* variable stops the run before any work.
  if (location.kind === 's3') resolveS3Config(location, input.env);
  const readOnlyReason = decideReadOnly(input, location, signed);
  return {
    enabled: true,
    location,
    source: chosen.source,
    readOnly: readOnlyReason !== undefined,
    ...(readOnlyReason === undefined ? {} : { readOnlyReason }),
    signed,
    require,
  };
}

function chooseSource(input: RemoteSettingsInput): { location: RemoteLocation; source: RemoteSource } | undefined {
  if (input.flag !== undefined) {
    const parsed = parseRemoteUrl(input.flag, input.cwd);
    if (!parsed.ok) throw new UsageError(`--remote ${parsed.message}`);
    return { location: parsed.location, source: 'flag' };
  }
  const fromEnv = input.env.BACH_REMOTE?.trim();
  if (fromEnv) {
    const parsed = parseRemoteUrl(fromEnv, input.cwd);
    if (!parsed.ok) throw new BachError('invalid-remote', `BACH_REMOTE ${parsed.message}`);
    return { location: parsed.location, source: 'env' };
  }
  if (input.manifest) {
    const { url, file, line, col } = input.manifest;
    const parsed = parseRemoteUrl(url, input.root);
    if (!parsed.ok) throw new BachError('invalid-remote', `${file}:${line}:${col}: remote: ${parsed.message}`);
    return { location: parsed.location, source: 'manifest' };
  }
  return undefined;
}

function decideReadOnly(input: RemoteSettingsInput, location: RemoteLocation, signed: boolean): ReadOnlyReason | undefined {
  if (input.readOnly) return 'flag';
  const fromEnv = parseSwitch(input.env.BACH_REMOTE_READ_ONLY, 'BACH_REMOTE_READ_ONLY');
  if (fromEnv !== undefined) return fromEnv ? 'env' : undefined;
  if (parseSwitch(input.env.CI, 'CI', true) && !signed) return 'ci-without-signing-key';
  if (location.kind === 's3' && !input.env.AWS_ACCESS_KEY_ID?.trim()) return 'no-credentials';
  return undefined;
}

/** BACH_REMOTE_SIGNING_KEY, checked to be worth its name; undefined when unset. */
export function readSigningKey(env: Env): string | undefined {
  const key = env[SIGNING_KEY_VARIABLE] ?? '';
  if (key === '') return undefined;
  if (key.length < 16) {
    throw new BachError('invalid-remote', `${SIGNING_KEY_VARIABLE} is too short to be a key (at least 16 characters)`, {
      hint: 'Make one with `openssl rand -hex 32` and give it only to the CI jobs that may write to the team cache.',
    });
  }
  return key;
}

/** 1/true/yes/on and 0/false/no/off (any case); empty is unset. `lenient`: anything else counts as true (CI=woodpecker). */
function parseSwitch(value: string | undefined, name: string, lenient = false): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  if (lenient) return true;
  throw new BachError('invalid-remote', `${name} must be 1 or 0 (true/false), got "${value}"`);
}

/** How a settings' read-only state reads in a sentence ("read-only: CI without BACH_REMOTE_SIGNING_KEY"). */
export function describeReadOnly(reason: ReadOnlyReason): string {
  switch (reason) {
    case 'flag':
      return '--remote-read-only';
    case 'env':
      return 'BACH_REMOTE_READ_ONLY is set';
    case 'ci-without-signing-key':
      return `a CI job without ${SIGNING_KEY_VARIABLE} (only jobs holding the key may write)`;
    case 'no-credentials':
      return 'no AWS credentials in the environment (reading anonymously)';
  }
}
