import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '../../../src/contract/capabilities.js';
import { readCredentials, resolveBaseUrl } from '../../../src/api/credentials.js';
import { parseDotEnv } from '../../../src/project/dotenv.js';
import { BachError } from '../../../src/errors.js';

function catchBachError(fn: () => unknown): BachError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BachError) return error;
    throw error;
  }
  throw new Error('expected a BachError');
}

describe('readCredentials', () => {
  it('reads and trims both keys', () => {
    expect(readCredentials({ BACH_ACCESS_KEY: ' ak ', BACH_SECRET_KEY: 'sk' })).toEqual({ accessKey: 'ak', secretKey: 'sk' });
  });

  it.each([
    [{}, 'BACH_ACCESS_KEY and BACH_SECRET_KEY are not set'],
    [{ BACH_ACCESS_KEY: 'ak' }, 'BACH_SECRET_KEY is not set'],
    [{ BACH_SECRET_KEY: 'sk-very-secret', BACH_ACCESS_KEY: '  ' }, 'BACH_ACCESS_KEY is not set'],
  ])('names what is missing: %j', (env, message) => {
    const error = catchBachError(() => readCredentials(env));
    expect(error.code).toBe('missing-credentials');
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(/\.env file beside bach.yaml/);
    expect(`${error.message} ${error.hint}`).not.toContain('sk-very-secret');
  });
});

describe('resolveBaseUrl', () => {
  it('prefers the flag, then BACH_BASE_URL, then the public API', () => {
    expect(resolveBaseUrl('http://127.0.0.1:9/api/vdr/', { BACH_BASE_URL: 'https://other' })).toBe('http://127.0.0.1:9/api/vdr');
    expect(resolveBaseUrl(undefined, { BACH_BASE_URL: 'https://eu.example/api/vdr//' })).toBe('https://eu.example/api/vdr');
    expect(resolveBaseUrl('', { BACH_BASE_URL: ' ' })).toBe(DEFAULT_BASE_URL);
    expect(resolveBaseUrl(undefined, {})).toBe(DEFAULT_BASE_URL);
  });

  it.each([
    ['https://user:hunter2@api.example/api/vdr', /must not embed credentials/],
    ['ftp://api.example', /must be an http\(s\) URL/],
    ['api.example/api/vdr', /is not a URL/],
    ['https://api.example/api?x=1', /query string/],
  ])('refuses %s', (url, message) => {
    const error = catchBachError(() => resolveBaseUrl(url, {}));
    expect(error.code).toBe('invalid-base-url');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^--base-url /);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('parseDotEnv', () => {
  it('reads KEY=VALUE lines with quotes, comments and export', () => {
    const text = [
      '# keys from the console',
      'BACH_ACCESS_KEY=ak-123',
      'export BACH_SECRET_KEY = "s3cr#t \\"quoted\\"\\n" # trailing comment',
      "SINGLE='lit\\eral # kept'",
      'UNQUOTED=value with spaces   # comment',
      'EMPTY=',
      '',
      'not a line',
      'BAD="unterminated',
      '1BAD=x',
      'WIN=first',
      'WIN=second',
    ].join('\r\n');
    expect(parseDotEnv(text)).toEqual({
      BACH_ACCESS_KEY: 'ak-123',
      BACH_SECRET_KEY: 's3cr#t "quoted"\n',
      SINGLE: 'lit\\eral # kept',
      UNQUOTED: 'value with spaces',
      EMPTY: '',
      WIN: 'second',
    });
  });
});
