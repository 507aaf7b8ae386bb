import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../errors.js';
import type { Env } from '../api/credentials.js';

// A `.env` that git tracks puts the keys in the repository and in its history, where every clone
// and fork keeps them. Checked only where a command does real work anyway — `validate`, the full
// `plan` and the full build — never on the no-op fast path (a tracked .env that was already there
// at the last full run has been reported then). Cheap when it does not apply: a stat for `.env`,
// stats up the folders for `.git`, and only when both exist one `git ls-files --error-unmatch`
// (a few milliseconds). No git installed, or any other failure, is silence, not an error.

const GIT_TIMEOUT_MS = 5_000;

/**
 * A warning when `<root>/.env` exists and git tracks it; undefined otherwise. `label` is how messages
 * name that file (beside the manifest as the user named it).
 */
export async function checkTrackedEnv(root: string, label: string, env: Env): Promise<Diagnostic | undefined> {
  if (!isFile(join(root, '.env')) || !insideGitWorkTree(root)) return undefined;
  if (!(await isTrackedByGit(root, '.env', env))) return undefined;
  return {
    severity: 'warning',
    code: 'env-tracked',
    file: label,
    message: `${label} is tracked by git: the keys in it are in the repository and its history`,
    hint: 'Untrack it with `git rm --cached .env`, list .env in .gitignore (`bach-render init` does), and replace the keys in the Bach Developer Console.',
  };
}

async function isTrackedByGit(root: string, name: string, env: Env): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      'git',
      // A repository's own config could name an fsmonitor program to run; this lookup needs none.
      ['-c', 'core.fsmonitor=false', 'ls-files', '--error-unmatch', '--', name],
      { cwd: root, timeout: GIT_TIMEOUT_MS, windowsHide: true, env: { ...env, GIT_OPTIONAL_LOCKS: '0' } },
      (error) => resolve(error === null),
    );
  });
}

function insideGitWorkTree(start: string): boolean {
  for (let folder = start; ; folder = dirname(folder)) {
    try {
      statSync(join(folder, '.git'));
      return true;
    } catch {
      if (dirname(folder) === folder) return false;
    }
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
