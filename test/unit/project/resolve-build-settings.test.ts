import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '../../../src/contract/capabilities.js';
import { BachError } from '../../../src/errors.js';
import type { BuildFlags } from '../../../src/project/build-settings.js';
import { describeApiTarget, resolveBuildSettings } from '../../../src/project/resolve-build-settings.js';

// Every setting decided once, from the command line, the process environment and the project's .env.

function flags(overrides: Partial<BuildFlags> = {}): BuildFlags {
  return {
    path: '.',
    concurrency: 4,
    only: [],
    force: [],
    dryRun: false,
    maxSeconds: undefined,
    retries: 2,
    allowRerender: false,
    pollIntervalMs: undefined,
    reporter: 'auto',
    baseUrl: undefined,
    emulator: false,
    wait: false,
    watch: false,
    debounceMs: 100,
    yes: false,
    ...overrides,
  };
}

const KEYS = { BACH_ACCESS_KEY: 'ak', BACH_SECRET_KEY: 'sk' };
const dotenv = (values: Record<string, string>) => ({ file: '/project/.env', values });

function refusal(run: () => unknown): BachError {
  try {
    run();
  } catch (error) {
    if (error instanceof BachError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('resolveBuildSettings: where requests go', () => {
  it('takes --base-url, else BACH_BASE_URL from the process environment, else the public API', () => {
    expect(resolveBuildSettings(flags({ baseUrl: 'http://127.0.0.1:9/api/vdr/' }), { ...KEYS, BACH_BASE_URL: 'https://other' }, null).api).toEqual({
      kind: 'api',
      baseUrl: 'http://127.0.0.1:9/api/vdr',
      origin: 'http://127.0.0.1:9',
      source: '--base-url',
    });
    expect(resolveBuildSettings(flags(), { ...KEYS, BACH_BASE_URL: 'https://eu.example/api/vdr' }, null).api).toMatchObject({
      origin: 'https://eu.example',
      source: 'BACH_BASE_URL',
    });
    expect(resolveBuildSettings(flags(), KEYS, null).api).toMatchObject({ baseUrl: DEFAULT_BASE_URL, source: 'default' });
    expect(resolveBuildSettings(flags({ emulator: true }), {}, null).api).toEqual({ kind: 'emulator' });
  });

  it('refuses a .env that sets BACH_BASE_URL, whatever else is set — a file in the project never redirects signed requests', () => {
    for (const env of [KEYS, { ...KEYS, BACH_BASE_URL: 'https://api.example' }]) {
      for (const values of [{ BACH_BASE_URL: 'https://attacker.example/api/vdr' }, { BACH_BASE_URL: '' }]) {
        const error = refusal(() => resolveBuildSettings(flags({ baseUrl: 'https://api.example' }), env, dotenv(values)));
        expect(error.code).toBe('base-url-in-project');
        expect(error.message).toBe('/project/.env sets BACH_BASE_URL; the API address is never read from a file in the project');
        expect(error.hint).toMatch(/set it in the environment or pass --base-url/);
      }
    }
    // A plan and a dry run send nothing, but they count uploads for the address: refused the same way.
    expect(() => resolveBuildSettings(flags({ dryRun: true }), {}, dotenv({ BACH_BASE_URL: 'https://x.example' }))).toThrow(BachError);
  });

  it('names the API in use when it is not the public one', () => {
    expect(describeApiTarget(resolveBuildSettings(flags(), { ...KEYS, BACH_BASE_URL: 'http://127.0.0.1:8787/api/vdr' }, null).api)).toBe(
      `Bach API: http://127.0.0.1:8787/api/vdr (from BACH_BASE_URL; the default is ${DEFAULT_BASE_URL})`,
    );
    expect(describeApiTarget(resolveBuildSettings(flags({ baseUrl: 'https://eu.example' }), KEYS, null).api)).toMatch(/^Bach API: https:\/\/eu\.example \(from --base-url;/);
    expect(describeApiTarget(resolveBuildSettings(flags(), KEYS, null).api)).toBeNull();
    expect(describeApiTarget(resolveBuildSettings(flags(), { ...KEYS, BACH_BASE_URL: DEFAULT_BASE_URL }, null).api)).toBeNull();
    expect(describeApiTarget({ kind: 'emulator' })).toBeNull();
  });
});

describe('resolveBuildSettings: credentials and the rest', () => {
  it('takes the keys from the process environment, then .env, only when something will be sent', () => {
    const fromFile = dotenv({ BACH_ACCESS_KEY: 'file-ak', BACH_SECRET_KEY: 'file-sk' });
    expect(resolveBuildSettings(flags(), { BACH_ACCESS_KEY: 'env-ak' }, fromFile).credentials).toEqual({ accessKey: 'env-ak', secretKey: 'file-sk' });
    expect(resolveBuildSettings(flags({ dryRun: true }), {}, null).credentials).toBeNull();
    expect(resolveBuildSettings(flags({ emulator: true }), {}, null).credentials).toBeNull();
    // Missing keys are kept as the error to raise once a plan needs the API (restores need none).
    const keyless = resolveBuildSettings(flags(), {}, null);
    expect(keyless.credentials).toBeNull();
    expect(keyless.credentialsError?.message).toBe('BACH_ACCESS_KEY and BACH_SECRET_KEY are not set');
  });

  it('decides the poll interval: the flag, else BACH_POLL_INTERVAL (environment, then .env), else 10 s (1 s for the emulator)', () => {
    expect(resolveBuildSettings(flags({ pollIntervalMs: 250 }), { ...KEYS, BACH_POLL_INTERVAL: '3' }, null).pollIntervalMs).toBe(250);
    expect(resolveBuildSettings(flags(), { ...KEYS, BACH_POLL_INTERVAL: '0.5' }, dotenv({ BACH_POLL_INTERVAL: '7' })).pollIntervalMs).toBe(500);
    expect(resolveBuildSettings(flags(), KEYS, dotenv({ BACH_POLL_INTERVAL: '7' })).pollIntervalMs).toBe(7000);
    expect(resolveBuildSettings(flags(), KEYS, null).pollIntervalMs).toBe(10_000);
    expect(resolveBuildSettings(flags({ emulator: true }), {}, null).pollIntervalMs).toBe(1000);
    expect(refusal(() => resolveBuildSettings(flags(), { ...KEYS, BACH_POLL_INTERVAL: 'soon' }, null)).message).toBe('BACH_POLL_INTERVAL must be a number, got "soon"');
  });

  it('splits the selection and passes the rest through', () => {
    const settings = resolveBuildSettings(flags({ only: ['a, b', 'c'], force: ['b'], concurrency: 8, retries: 0, maxSeconds: 30, allowRerender: true }), KEYS, null);
    expect(settings).toMatchObject({ only: ['a', 'b', 'c'], force: ['b'], concurrency: 8, retries: 0, maxSeconds: 30, allowRerender: true });
  });
});
