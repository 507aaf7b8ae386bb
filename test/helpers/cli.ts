import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { assertFreshDist } from './check-dist.js';

// Runs the built CLI (dist/cli.js — `npm test` builds first) as a real child process: the same
// binary a user runs, with its own signals, exit codes and streams. A dist/ older than src/ stops
// every test that loads this helper before it runs anything (check-dist.ts).

assertFreshDist();

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

// Every CLI a test file started and that still runs when the file is done is killed: a test that
// failed (or timed out) before stopping a `watch` left it running for hours, with its emulator gone.
const live = new Set<ChildProcess>();
afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
});

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** A plain, colourless, non-interactive environment plus `env`. */
export function cliEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1' };
  for (const key of ['BACH_ACCESS_KEY', 'BACH_SECRET_KEY', 'BACH_BASE_URL', 'BACH_POLL_INTERVAL', 'BACH_POLL', 'FORCE_COLOR']) delete base[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

export function startCli(args: string[], options: CliOptions): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bach-render ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, result };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).result;
}
