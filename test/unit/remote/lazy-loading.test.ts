import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachablePackages, SRC } from '../../helpers/static-imports.js';

// The team cache must not slow down a run that does not use it, and an s3:// remote must not be paid
// for by a folder remote: the S3 client (undici's agent here, aws4fetch) is reachable from the
// modules the rest of bach-render imports only through a dynamic import().

describe('what the team cache loads', () => {
  it('settings resolution is pure and light: no package at all', () => {
    expect([...reachablePackages('remote/remote-settings.ts')]).toEqual([]);
  });

  it('opening a team cache loads neither undici nor aws4fetch (the S3 backend is imported when an s3:// remote is opened)', () => {
    const packages = reachablePackages('remote/open-team-cache.ts');
    expect(packages.has('aws4fetch')).toBe(false);
    expect(packages.has('undici')).toBe(false);
    expect(readFileSync(join(SRC, 'remote/open-team-cache.ts'), 'utf8')).toContain("await import('./s3-backend.js')");
  });

  it('nothing outside src/remote imports it yet statically (the integration must keep it lazy)', () => {
    expect(reachablePackages('cli.ts').has('aws4fetch')).toBe(false);
  });
});
