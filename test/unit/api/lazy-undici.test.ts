import { describe, expect, it } from 'vitest';
import { reachablePackages } from '../../helpers/static-imports.js';

// undici takes ~55 ms to load (api/undici.ts): a build must not load it before its first create,
// which the submitter process sends. Everything a build imports up to that moment reaches undici
// only through loadUndici(), which the client calls on its first request. The upload's
// multipart body is encoded by our own code (api/upload-form.ts) and needs none of undici.

describe('undici is loaded on first use', () => {
  it.each([
    ['the CLI and the build command', 'cli.ts'],
    ['a build, from the manifest to the session', 'commands/run-build.ts'],
    ['the executor (uploads, renders, polls, downloads)', 'render/execute-plan.ts'],
    ['the API client itself', 'api/client.ts'],
    ['the multipart upload body', 'api/upload-form.ts'],
    ['the submitter process', 'submitter/child.ts'],
  ])('%s: no static import reaches undici', (_what, entry) => {
    expect(reachablePackages(entry).has('undici')).toBe(false);
  });
});
