import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { EmulatorConfigPatch, EmulatorStats } from '../../src/emulator/index.js';
import { CLI } from './process.js';

// The emulator as a separate process (`bach-render emulator --port 0 --json --verbose`), so that
// the measured bach-render process holds nothing but bach-render. Scenarios configure it through
// the admin endpoints and read its counters; its --verbose request log is timestamped here on
// arrival (same clock as the measured child's spawn time), which gives per-request timing, e.g.
// when each 429 was sent or when a watch-triggered submission arrived.

export interface LogLine {
  /** performance.now() when the line arrived. */
  at: number;
  line: string;
}

export interface EmulatorProcess {
  url: string;
  origin: string;
  /** The emulator's fake local key pair (printed by it on purpose). */
  accessKey: string;
  secretKey: string;
  /** Environment for a bach-render child pointed at this emulator (plain, colourless, CI). */
  cliEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Resets tasks, uploads and counters, then applies the scenario's settings over the bench defaults. */
  prepare(patch: EmulatorConfigPatch): Promise<void>;
  configure(patch: EmulatorConfigPatch): Promise<void>;
  stats(): Promise<EmulatorStats>;
  /** Calls `listener` for each request-log line until the returned function is called. */
  onLog(listener: (entry: LogLine) => void): () => void;
  stop(): Promise<void>;
}

/** What every scenario starts from: no faults, no limits, unless it says otherwise. */
const BENCH_DEFAULTS: EmulatorConfigPatch = {
  processingMs: 50,
  pendingMs: 0,
  concurrencyPerKey: 64,
  rateLimit: null,
  credits: null,
  resultPaddingBytes: 0,
  resultTtlMs: null,
  uploadTtlMs: null,
  batchTtlMs: null,
};

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--json', '--verbose'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const listeners = new Set<(entry: LogLine) => void>();
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const entry = { at: performance.now(), line };
    for (const listener of listeners) listener(entry);
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its URL`)));
  });
  const info = JSON.parse(first) as { url: string; origin: string; accessKey: string; secretKey: string };
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${info.origin}/_emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator ${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    url: info.url,
    origin: info.origin,
    accessKey: info.accessKey,
    secretKey: info.secretKey,
    cliEnv(extra = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1' };
      for (const key of Object.keys(env)) if (key.startsWith('BACH_') || key === 'FORCE_COLOR') delete env[key];
      return { ...env, BACH_BASE_URL: info.url, BACH_ACCESS_KEY: info.accessKey, BACH_SECRET_KEY: info.secretKey, ...extra };
    },
    async prepare(patch) {
      await admin('POST', 'reset');
      await admin('POST', 'config', { ...BENCH_DEFAULTS, ...patch });
    },
    async configure(patch) {
      await admin('POST', 'config', patch);
    },
    stats: () => admin('GET', 'stats') as Promise<EmulatorStats>,
    onLog(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // the emulator closes its server and removes its upload folder on Ctrl-C
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
