import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkTrackedEnv } from '../../../src/project/tracked-env.js';
import { testdir } from '../../helpers/testdir.js';

// A .env tracked by git is warned about; the check uses the real git (Debian package: git).

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasGit && !process.env.CI) console.warn('tracked-env tests skipped: git is not installed (apt-get install git)');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'ignore' });

describe.skipIf(!hasGit && !process.env.CI)('checkTrackedEnv', () => {
  it('warns when git tracks the .env beside the manifest, also from a subfolder of the repository', async () => {
    const repo = await testdir({ 'film/bach.yaml': 'version: 1\n', 'film/.env': 'BACH_ACCESS_KEY=x\n' });
    git(repo, 'init', '-q');
    expect(await checkTrackedEnv(`${repo}/film`, 'film/.env', process.env)).toBeUndefined();
    git(repo, 'add', 'film/.env');
    expect(await checkTrackedEnv(`${repo}/film`, 'film/.env', process.env)).toMatchObject({
      severity: 'warning',
      code: 'env-tracked',
      file: 'film/.env',
      message: 'film/.env is tracked by git: the keys in it are in the repository and its history',
    });
  });

  it('says nothing without a .env or without a repository', async () => {
    const plain = await testdir({ '.env': 'A=1\n' });
    expect(await checkTrackedEnv(plain, '.env', process.env)).toBeUndefined();
    const repo = await testdir({ 'bach.yaml': '' });
    git(repo, 'init', '-q');
    expect(await checkTrackedEnv(repo, '.env', process.env)).toBeUndefined();
  });
});
