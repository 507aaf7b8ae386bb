import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist } from '../helpers/check-dist.js';
import { testdir } from '../helpers/testdir.js';

// `bach-render validate` as users run it: the built CLI in a child process (`npm test` builds first).

assertFreshDist();

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist/cli.js');
const fixtures = join(repo, 'test/fixtures/manifests');

async function run(args: string[], cwd = repo): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

describe('bach-render validate', () => {
  it('accepts the example storyboard with a one-line summary', async () => {
    const result = await run(['validate', 'examples']);
    expect(result).toEqual({ code: 0, stdout: 'examples/bach.yaml: valid — 3 shots, 4 local images, 10 seconds of video\n', stderr: '' });
  });

  it('reads ./bach.yaml by default', async () => {
    const result = await run(['validate'], join(repo, 'examples'));
    expect(result.stdout).toBe('bach.yaml: valid — 3 shots, 4 local images, 10 seconds of video\n');
  });

  it('reports every problem with positions and code frames, and exits 1', async () => {
    const result = await run(['validate', 'invalid-unknown-fields/bach.yaml'], fixtures);
    const expected = await readFile(join(fixtures, 'invalid-unknown-fields/diagnostics.txt'), 'utf8');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${expected}\ninvalid-unknown-fields/bach.yaml: 6 errors\n`);
    expect(result.stderr).not.toMatch(/\u001b\[|^\s+at /m);
  });

  it('reports a missing manifest without a stack trace', async () => {
    const result = await run(['validate', 'nowhere']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^nowhere: error\[manifest-missing\]: no manifest at .*nowhere\n/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses an unknown option as a usage error', async () => {
    const result = await run(['validate', '--strict', 'examples']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: validate: Unknown option '--strict'");
    expect(result.stderr).toContain('Usage: bach-render validate [PATH]');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses two paths', async () => {
    const result = await run(['validate', 'a', 'b']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: validate: expected at most one PATH, got 2: a b');
  });

  it('uses the standalone schema validator the build wrote (not a compile per run)', async () => {
    const probe = `import('${join(repo, 'dist/manifest/schema-validator.js')}').then((m) => console.log(m.getSchemaValidator().source))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', probe]);
    expect(stdout).toBe('standalone\n');
  });

  it('writes nothing', async () => {
    const root = await testdir();
    await cp(join(repo, 'examples'), root, { recursive: true });
    const before = await readdir(root, { recursive: true });
    expect((await run(['validate'], root)).code).toBe(0);
    expect(await readdir(root, { recursive: true })).toEqual(before);
  });
});
