import { setMaxListeners } from 'node:events';
import { runCli } from '../../src/cli/run-cli.js';
import type { CliContext, Input } from '../../src/util/cli-context.js';

// The whole CLI run in this process (src/cli/run-cli.ts — everything but process.exit), with its
// own streams, environment and Ctrl-C: the same code path as the binary without a node start-up, and
// output a test can read while the command runs (watch).

export interface InProcessRun {
  /** Resolves with the exit code. */
  done: Promise<number>;
  stdout(): string;
  stderr(): string;
  /** NDJSON lines printed so far (with `--reporter json`). */
  events(): Record<string, any>[];
  /** Ctrl-C. */
  interrupt(): void;
  /** With `terminal: true`: a line typed at the keyboard (answered to the next question, or kept until one is asked). */
  type(line: string): void;
  /** Resolves once stdout contains `text` (a question, a prompt). */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the first event matching, as soon as it is printed. */
  waitFor(match: (event: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

export interface InProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** A person at an interactive terminal: stdin and stdout are TTYs, and `type()` answers questions. */
  terminal?: boolean;
}

export function startInProcess(argv: string[], options: InProcessOptions): InProcessRun {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  const isTTY = options.terminal ?? false;
  const stream = (append: (text: string) => void) => ({ write: (text: string) => (append(text), changed()), isTTY, columns: 100 });
  const keyboard = createKeyboard();
  const context: CliContext = {
    cwd: options.cwd,
    env: { NO_COLOR: '1', CI: '1', ...options.env },
    stdout: stream((text) => (out += text)),
    stderr: stream((text) => (err += text)),
    ...(isTTY ? { stdin: keyboard.input } : {}),
    interrupt: controller.signal,
  };
  const events = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  const done = runCli(argv, context);
  let finished = false;
  void done.finally(() => ((finished = true), changed()));
  /** Resolves with what `probe` finds, checked on every write; rejects when the command ends first or time runs out. */
  const waitUntil = <T>(probe: () => T | undefined, timeoutMs: number, ended: string, late: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const output = () => `\nstdout:\n${out}\nstderr:\n${err}`;
      const check = () => {
        const found = probe();
        if (found !== undefined) return settle(() => resolve(found));
        if (finished) settle(() => reject(new Error(`${ended}${output()}`)));
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`${late}${output()}`))), timeoutMs);
      const settle = (then: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        then();
      };
      listeners.add(check);
      check();
    });
  return {
    done,
    stdout: () => out,
    stderr: () => err,
    events,
    interrupt: () => controller.abort(new DOMException('interrupted by the test', 'AbortError')),
    type: (line) => keyboard.type(line),
    waitForText(text, timeoutMs = 20_000) {
      const shown = JSON.stringify(text);
      return waitUntil(() => (out.includes(text) ? true : undefined), timeoutMs, `the command ended without printing ${shown}`, `${shown} not printed within ${timeoutMs} ms`).then(() => {});
    },
    waitFor(match, timeoutMs = 20_000) {
      return waitUntil(() => events().find(match), timeoutMs, 'the command ended without the event', `no such event within ${timeoutMs} ms`);
    },
  };
}

/** Lines typed ahead of a question are kept for it, as a terminal's line discipline keeps them. */
function createKeyboard(): { input: Input; type(line: string): void } {
  const typed: string[] = [];
  let waiting: ((line: string) => void) | null = null;
  return {
    input: {
      isTTY: true,
      readLine(signal) {
        if (signal.aborted) return Promise.resolve(null);
        const line = typed.shift();
        if (line !== undefined) return Promise.resolve(line);
        return new Promise((resolve) => {
          const onAbort = () => ((waiting = null), resolve(null));
          signal.addEventListener('abort', onAbort, { once: true });
          waiting = (answer) => {
            signal.removeEventListener('abort', onAbort);
            waiting = null;
            resolve(answer);
          };
        });
      },
    },
    type(line) {
      if (waiting) waiting(line);
      else typed.push(line);
    },
  };
}

/** Runs the CLI in-process to the end. */
export async function runInProcess(argv: string[], options: InProcessOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = startInProcess(argv, options);
  const code = await run.done;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
