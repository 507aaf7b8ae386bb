import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { parseBuildFlags } from '../../../src/commands/build-flags.js';
import { readRemoteFlags, REMOTE_OPTIONS } from '../../../src/commands/remote-flags.js';
import { loadManifestFromText } from '../../../src/manifest/from-text.js';
import { readClaimPolicy, resolveProjectRemote } from '../../../src/project/project-remote.js';

// The front hall's team cache (issue 11): the flags every command shares, and one decision from the
// flags, the process environment and the manifest's `remote:` (errors name its file:line:col).

function manifestWith(remote: string | null) {
  const text = `version: 1\n${remote === null ? '' : `remote: ${remote}\n`}shots:\n  - id: a\n    mode: text-to-video\n    prompt: waves\n`;
  const loaded = loadManifestFromText(text, { root: '/work/film', file: '/work/film/bach.yaml' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.manifest;
}

describe('the remote flags', () => {
  it('parse the same way for build and for any command that spreads REMOTE_OPTIONS', () => {
    const args = ['--remote', 's3://b/p', '--remote-read-only', '--require-remote'];
    expect(parseBuildFlags(args, 'build').remote).toEqual({ url: 's3://b/p', off: undefined, readOnly: true, require: true });
    const { values } = parseArgs({ args: ['--no-remote'], options: { ...REMOTE_OPTIONS }, strict: true });
    expect(readRemoteFlags(values)).toEqual({ url: undefined, off: true, readOnly: undefined, require: undefined });
  });
});

describe('resolveProjectRemote', () => {
  const context = { env: {}, cwd: '/work/elsewhere' };

  it("the manifest's remote is relative to the manifest; BACH_REMOTE (process env) and --remote override it", () => {
    const manifest = manifestWith('../share');
    expect(resolveProjectRemote(undefined, manifest, context)).toMatchObject({ enabled: true, source: 'manifest', location: { kind: 'folder', path: '/work/share' } });
    expect(resolveProjectRemote(undefined, manifest, { ...context, env: { BACH_REMOTE: '/mnt/team' } })).toMatchObject({ source: 'env', location: { path: '/mnt/team' } });
    expect(resolveProjectRemote({ url: 'other' }, manifest, context)).toMatchObject({ source: 'flag', location: { path: '/work/elsewhere/other' } });
    expect(resolveProjectRemote({ off: true }, manifest, context)).toEqual({ enabled: false, reason: 'no-remote', require: false });
    expect(resolveProjectRemote(undefined, manifestWith(null), context)).toEqual({ enabled: false, reason: 'not-configured', require: false });
  });

  it("a bad remote: in the manifest is reported at its file:line:col", () => {
    expect(() => resolveProjectRemote(undefined, manifestWith('"ftp://x"'), context)).toThrow(/^\/work\/film\/bach\.yaml:2:9: remote: /);
  });
});

describe('readClaimPolicy', () => {
  it('BACH_REMOTE_CLAIM_TIMEOUT sets the stale timeout, renewed four times within it; bad values are refused', () => {
    expect(readClaimPolicy({})).toBeUndefined();
    expect(readClaimPolicy({ BACH_REMOTE_CLAIM_TIMEOUT: '8' })).toEqual({ staleAfterMs: 8000, renewEveryMs: 2000 });
    expect(() => readClaimPolicy({ BACH_REMOTE_CLAIM_TIMEOUT: '0' })).toThrow(/BACH_REMOTE_CLAIM_TIMEOUT/);
    expect(() => readClaimPolicy({ BACH_REMOTE_CLAIM_TIMEOUT: 'soon' })).toThrow(/BACH_REMOTE_CLAIM_TIMEOUT/);
  });
});
