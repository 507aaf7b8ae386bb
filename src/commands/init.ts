import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../util/cli-context.js';
import { BachError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { mergeGitignore, STARTER_ENV_EXAMPLE, STARTER_MANIFEST } from './starter-files.js';

// `bach-render init [PATH]`: a new project in PATH (default: the current folder; created if
// missing): a commented starter bach.yaml, a .env.example naming the keys, and .gitignore entries
// for renders/, .bach/ and .env (appended to an existing .gitignore, never duplicated). It never
// overwrites: an existing bach.yaml or .env.example stops it before anything is written, naming
// the file. Then it says what to run next.

const MANIFEST = 'bach.yaml';
const ENV_EXAMPLE = '.env.example';

export async function run(args: string[], context: CliContext): Promise<number> {
  const path = parseInitArgs(args);
  const folder = resolve(context.cwd, path ?? '.');
  await ensureFolder(folder, path ?? '.');
  const existing = [];
  for (const name of [MANIFEST, ENV_EXAMPLE]) if (await exists(join(folder, name))) existing.push(name);
  if (existing.length > 0) {
    const shown = existing.map((name) => (path ? join(path, name) : name));
    throw new BachError('init-exists', `${shown.join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; init overwrites nothing, so nothing was written`, {
      hint: existing.includes(MANIFEST)
        ? 'This folder already has a project: `bach-render validate` checks it. To start another, run `bach-render init NEW-FOLDER`.'
        : `Move ${ENV_EXAMPLE} aside (or start in another folder: \`bach-render init NEW-FOLDER\`), then run init again.`,
    });
  }
  await writeFileAtomic(join(folder, MANIFEST), STARTER_MANIFEST);
  await writeFileAtomic(join(folder, ENV_EXAMPLE), STARTER_ENV_EXAMPLE);
  const gitignorePath = join(folder, '.gitignore');
  const gitignore = mergeGitignore(await readIfExists(gitignorePath));
  if (gitignore.added.length > 0) await writeFileAtomic(gitignorePath, gitignore.text);
  context.stdout.write(formatNextSteps(path, gitignore.added));
  return 0;
}

function formatNextSteps(path: string | undefined, added: readonly string[]): string {
  const where = path ? `${path.replace(/\/+$/, '')}/` : '';
  const ignored = added.length > 0 ? `added ${added.join(', ')} to ${where}.gitignore` : `${where}.gitignore already ignores renders/, .bach/ and .env`;
  return [
    `Created ${where}${MANIFEST} (one shot to start from) and ${where}${ENV_EXAMPLE}; ${ignored}.`,
    '',
    'Next:',
    ...(path ? [`  cd ${quoteForShell(path)}`] : []),
    '  npx bach-render --emulator    render the starter shot against a local emulator (no account, no cost)',
    '  cp .env.example .env          then fill in your keys from the Bach Developer Console',
    '  npx bach-render plan          what a real build would render, and how many seconds of video',
    '  npx bach-render               render it',
    '',
    'Shell completion: `bach-render completion bash|zsh|fish` prints a script (see its --help).',
    '',
  ].join('\n');
}

function parseInitArgs(args: string[]): string | undefined {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true }));
  } catch (error) {
    throw new UsageError(`init: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render init [PATH]' });
  }
  if (positionals.length > 1) throw new UsageError(`init: expected at most one PATH, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0];
}

async function ensureFolder(folder: string, shown: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new BachError('init-not-a-folder', `${shown} exists and is not a folder`);
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function quoteForShell(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
