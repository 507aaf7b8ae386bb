import { describe, expect, it } from 'vitest';
import { BachError, UsageError } from '../../../src/errors.js';
import { parseRemoteUrl } from '../../../src/remote/remote-url.js';
import { describeReadOnly, resolveRemoteSettings, type RemoteSettingsInput } from '../../../src/remote/remote-settings.js';

// Which remote a run uses, and how: URL forms, precedence, read-only and --require-remote (pure).

const base: RemoteSettingsInput = { env: {}, cwd: '/work/here', root: '/work/project' };
const creds = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };
const manifest = { url: 's3://from-manifest/film', file: '/work/project/bach.yaml', line: 3, col: 9 };

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseRemoteUrl', () => {
  it.each([
    ['s3://team-videos/film/a', { kind: 's3', bucket: 'team-videos', prefix: 'film/a', url: 's3://team-videos/film/a' }],
    ['s3://team-videos', { kind: 's3', bucket: 'team-videos', prefix: '', url: 's3://team-videos' }],
    ['S3://team-videos//film/', { kind: 's3', bucket: 'team-videos', prefix: 'film', url: 's3://team-videos/film' }],
    ['/mnt/share/cache/', { kind: 'folder', path: '/mnt/share/cache', url: '/mnt/share/cache' }],
    ['../shared', { kind: 'folder', path: '/work/shared', url: '/work/shared' }],
    ['file:///mnt/share/my%20cache', { kind: 'folder', path: '/mnt/share/my cache', url: '/mnt/share/my cache' }],
    ['file://localhost/mnt/x', { kind: 'folder', path: '/mnt/x', url: '/mnt/x' }],
  ])('%s', (text, location) => {
    expect(parseRemoteUrl(text, '/work/here')).toEqual({ ok: true, location });
  });

  it.each([
    ['', 'is empty'],
    ['https://bucket.s3.amazonaws.com/x', '"https://" is not a supported team cache'],
    ['gs://bucket/x', '"gs://" is not a supported team cache'],
    ['s3://AKID:secret@bucket/x', 'must not hold credentials'],
    ['s3://Bad_Bucket/x', '"Bad_Bucket" is not a bucket name'],
    ['s3://ab', '"ab" is not a bucket name'],
    ['s3://192.168.1.1', 'is not a bucket name'],
    ['s3://bucket/a/../b', 'the prefix segment ".." is not allowed'],
    ['s3://bucket/a b', 'the prefix segment "a b" is not allowed'],
    ['s3://bucket/x?versionId=1', 'must not have a query string'],
    ['file://fileserver/share', 'mount "fileserver" and use its path'],
  ])('refuses %j', (text, message) => {
    const parsed = parseRemoteUrl(text, '/work/here');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
    if (text.includes('secret')) expect(!parsed.ok && parsed.message).not.toContain('secret');
  });
});

describe('resolveRemoteSettings', () => {
  it('is off when nothing names a remote', () => {
    expect(resolveRemoteSettings(base)).toEqual({ enabled: false, reason: 'not-configured', require: false });
  });

  it('takes --remote over BACH_REMOTE over the manifest, each relative to its own folder', () => {
    const env = { ...creds, BACH_REMOTE: 'env-cache' };
    expect(resolveRemoteSettings({ ...base, manifest })).toMatchObject({ enabled: true, source: 'manifest', location: { kind: 's3', bucket: 'from-manifest' } });
    expect(resolveRemoteSettings({ ...base, env, manifest })).toMatchObject({ source: 'env', location: { kind: 'folder', path: '/work/here/env-cache' } });
    expect(resolveRemoteSettings({ ...base, env, manifest, flag: 's3://flagged' })).toMatchObject({ source: 'flag', location: { bucket: 'flagged' } });
    expect(resolveRemoteSettings({ ...base, manifest: { ...manifest, url: 'cache' } })).toMatchObject({ location: { path: '/work/project/cache' } });
  });

  it('--no-remote wins over everything, and contradicts --remote and --require-remote', () => {
    expect(resolveRemoteSettings({ ...base, noRemote: true, manifest, env: { BACH_REMOTE: 'x' } })).toEqual({ enabled: false, reason: 'no-remote', require: false });
    expect(thrown(() => resolveRemoteSettings({ ...base, noRemote: true, flag: 'x' }))).toBeInstanceOf(UsageError);
    expect(thrown(() => resolveRemoteSettings({ ...base, noRemote: true, requireRemote: true })).message).toContain('contradict');
  });

  it('--require-remote without a remote is an error; with one it is carried', () => {
    const error = thrown(() => resolveRemoteSettings({ ...base, requireRemote: true }));
    expect(error).toBeInstanceOf(BachError);
    expect(error.message).toBe('--require-remote: no team cache is configured');
    expect(resolveRemoteSettings({ ...base, requireRemote: true, manifest, env: creds })).toMatchObject({ enabled: true, require: true });
  });

  it('says where a bad URL was written', () => {
    expect(thrown(() => resolveRemoteSettings({ ...base, manifest: { ...manifest, url: 'ftp://x/y' } })).message).toBe(
      '/work/project/bach.yaml:3:9: remote: "ftp://" is not a supported team cache; expected s3://bucket/prefix, a folder path or a file:// URL',
    );
    expect(thrown(() => resolveRemoteSettings({ ...base, flag: 's3://x' })).message).toMatch(/^--remote "x" is not a bucket name/);
    expect(thrown(() => resolveRemoteSettings({ ...base, env: { BACH_REMOTE: 'gs://b' } })).message).toMatch(/^BACH_REMOTE "gs:\/\/"/);
  });

  it('checks the AWS variables and the signing key before anything runs', () => {
    expect(thrown(() => resolveRemoteSettings({ ...base, manifest, env: { ...creds, AWS_ENDPOINT_URL_S3: 'http://user:pw@host' } })).message).toContain('must not hold credentials');
    expect(thrown(() => resolveRemoteSettings({ ...base, manifest, env: { AWS_ACCESS_KEY_ID: 'AKID' } })).message).toBe('AWS_SECRET_ACCESS_KEY is not set, but its partner is');
    const short = thrown(() => resolveRemoteSettings({ ...base, manifest, env: { ...creds, BACH_REMOTE_SIGNING_KEY: 'short' } }));
    expect(short.message).toContain('too short');
    expect(short.message).not.toContain('short"');
  });

  describe('read-only', () => {
    const key = { BACH_REMOTE_SIGNING_KEY: 'x'.repeat(32) };
    it.each([
      ['read-write by default', {}, {}, undefined],
      ['--remote-read-only', { readOnly: true }, key, 'flag'],
      ['BACH_REMOTE_READ_ONLY=1', {}, { BACH_REMOTE_READ_ONLY: '1' }, 'env'],
      ['BACH_REMOTE_READ_ONLY=false in CI without a key', {}, { CI: 'true', BACH_REMOTE_READ_ONLY: 'false' }, undefined],
      ['CI without the signing key', {}, { CI: 'true' }, 'ci-without-signing-key'],
      ['CI=woodpecker without the signing key', {}, { CI: 'woodpecker' }, 'ci-without-signing-key'],
      ['CI=0 is not CI', {}, { CI: '0' }, undefined],
      ['CI with the signing key', {}, { CI: 'true', ...key }, undefined],
    ] as const)('%s', (_name, flags, env, reason) => {
      const settings = resolveRemoteSettings({ ...base, ...flags, manifest, env: { ...creds, ...env } });
      expect(settings).toMatchObject({ enabled: true, readOnly: reason !== undefined, signed: 'BACH_REMOTE_SIGNING_KEY' in env });
      expect(settings.enabled && settings.readOnlyReason).toBe(reason ?? undefined);
    });

    it('reads anonymously (read-only) when S3 has no credentials; a folder needs none', () => {
      expect(resolveRemoteSettings({ ...base, manifest })).toMatchObject({ readOnly: true, readOnlyReason: 'no-credentials' });
      expect(resolveRemoteSettings({ ...base, flag: '/mnt/share' })).toMatchObject({ readOnly: false });
    });

    it('refuses a switch it cannot read', () => {
      expect(thrown(() => resolveRemoteSettings({ ...base, manifest, env: { BACH_REMOTE_READ_ONLY: 'maybe' } })).message).toBe(
        'BACH_REMOTE_READ_ONLY must be 1 or 0 (true/false), got "maybe"',
      );
    });

    it('explains each reason in words', () => {
      expect(describeReadOnly('ci-without-signing-key')).toBe('a CI job without BACH_REMOTE_SIGNING_KEY (only jobs holding the key may write)');
    });
  });

  it('holds no secret', () => {
    const settings = resolveRemoteSettings({ ...base, manifest, env: { ...creds, AWS_SESSION_TOKEN: 'token-value', BACH_REMOTE_SIGNING_KEY: 'signing-key-value-123' } });
    const text = JSON.stringify(settings);
    for (const secret of ['secret', 'token-value', 'signing-key-value-123']) expect(text).not.toContain(secret);
  });
});
