import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Runs one measured child process: wall time from spawn to exit, and (with `rss`) its peak RSS as
// reported from inside by rss-probe.mjs (and that of any Node helper it starts, reported apart). The bench's own process and the emulator are separate
// processes, so the figure is bach-render's alone.

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PROBE = pathToFileURL(fileURLToPath(new URL('../rss-probe.mjs', import.meta.url))).href;

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Measure peak RSS (adds a tiny preload; leave off for start-up timings). */
  rss?: boolean;
  timeoutMs?: number;
  /** Called for each stdout line as it arrives (e.g. NDJSON events), with the time since spawn. */
  onLine?: (line: string, atMs: number) => void;
}

export interface HelperRss {
  pid: number;
  argv: string[];
  maxRssBytes: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Peak RSS of the measured process itself. */
  maxRssBytes?: number;
  /** Node processes it started (e.g. a submitter) that had exited by the time it was read. */
  helpers?: HelperRss[];
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** performance.now() just before spawn. */
  startedAt: number;
  result: Promise<RunResult>;
}

/** Starts `node [probe] ...args`; `result` settles at exit. */
export function startNode(args: string[], options: RunOptions): Running {
  const rssDir = options.rss ? mkdtempSync(join(tmpdir(), 'bach-bench-rss-')) : undefined;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  if (rssDir) {
    // Through NODE_OPTIONS rather than argv, so that Node processes the CLI starts (whatever their
    // execArgv) load the probe as well and report in the same folder.
    env.BACH_BENCH_RSS_DIR = rssDir;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${PROBE}`.trim();
  }
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!options.onLine) return;
    const at = performance.now() - startedAt;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onLine(line, at);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<RunResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    let wallMs = 0;
    // Wall time ends at exit; 'close' (streams drained) is awaited only for the output.
    child.on('exit', () => (wallMs = performance.now() - startedAt));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = { code, signal, wallMs, stdout, stderr };
      if (rssDir) {
        // A helper may still be finishing (a detached submitter records what is in flight): give
        // it a moment, then read what is there.
        setTimeout(() => resolve(readRss(rssDir, child.pid!, result)), 300);
      } else {
        resolve(result);
      }
    });
  });
  return { child, startedAt, result };
}

function readRss(dir: string, pid: number, result: RunResult): RunResult {
  const records = readdirSync(dir).flatMap((name) => {
    try {
      return [JSON.parse(readFileSync(join(dir, name), 'utf8')) as HelperRss];
    } catch {
      return []; // a helper still writing its record: left out
    }
  });
  rmSync(dir, { recursive: true, force: true });
  // No record of the main process: it died before its exit handler (killed), so no figure rather than a wrong one.
  const main = records.find((r) => r.pid === pid);
  if (main) result.maxRssBytes = main.maxRssBytes;
  result.helpers = records.filter((r) => r.pid !== pid).map(({ pid: helper, argv, maxRssBytes }) => ({ pid: helper, argv, maxRssBytes }));
  return result;
}

export function runNode(args: string[], options: RunOptions): Promise<RunResult> {
  return startNode(args, options).result;
}

/** Runs the built CLI; fails loudly on an unexpected exit code, so a broken run never becomes a figure. */
export async function runCli(args: string[], options: RunOptions & { expectCodes?: number[] }): Promise<RunResult> {
  const result = await runNode([CLI, ...args], options);
  const expected = options.expectCodes ?? [0];
  if (result.code === null || !expected.includes(result.code)) {
    throw new Error(
      `bach-render ${args.join(' ')} exited ${result.code ?? result.signal} in ${options.cwd}\n` +
        `stderr:\n${result.stderr.slice(-4000)}\nstdout:\n${result.stdout.slice(-4000)}`,
    );
  }
  return result;
}
