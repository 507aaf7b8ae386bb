import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findStaleDist } from '../helpers/check-dist.js';
import { testdir } from '../helpers/testdir.js';

// The e2e tests refuse to run a dist/ older than src/ (test/helpers/check-dist.ts).

describe('findStaleDist', () => {
  it('accepts a dist/ whose last build came after every source change, and names the source changed since', async () => {
    const root = await testdir({ 'src/a.ts': '', 'src/deep/b.ts': '', 'dist/cli.js': '', 'dist/validator.cjs': '' });
    const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
    at('src/a.ts', 1000);
    at('src/deep/b.ts', 1000);
    at('dist/cli.js', 500);
    at('dist/validator.cjs', 2000);
    expect(findStaleDist(`${root}/`)).toBeNull();
    at('src/deep/b.ts', 3000);
    expect(findStaleDist(`${root}/`)).toBe('src/deep/b.ts changed after dist/ was last built');
  });

  it('refuses a missing build', async () => {
    const root = await testdir({ 'src/a.ts': '' });
    expect(findStaleDist(`${root}/`)).toBe('dist/cli.js does not exist');
  });
});
