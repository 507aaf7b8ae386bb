import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startCli, type CliResult } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';

// Drives `bach-render watch --reporter json` as a child process for the watch e2e tests: reads its
// NDJSON events as they come, waits for the next event of a kind (in order, never by sleeping),
// checks a bounded quiet period where nothing may happen, and saves files the ways editors do.

const QUIET_MS = 500;

export const STORY = `version: 1
defaults:
  resolution: 720p
subjects:
  hero:
    images: [refs/front.png]
shots:
  - id: opening
    mode: text-to-video
    prompt: A sunset over the ocean
    seed: 42
  - id: wake
    mode: image-to-video
    image: frames/hero.png
    prompt: She opens her eyes
    duration: 2
    seed: 7
  - id: castle
    mode: multi-image-to-video
    images: [frames/hero.png, frames/castle.png]
    subject: hero
    prompt_file: prompts/castle.md
    duration: 3
    seed: 9
`;

export function storyTree() {
  return {
    'bach.yaml': STORY,
    'frames/hero.png': makePng(1),
    'frames/castle.png': makePng(2),
    'refs/front.png': makePng(3),
    'prompts/castle.md': 'The hero walks toward the castle\n',
  };
}

export type Event = Record<string, any>;

export interface WatchDriver {
  /** The next event (after the previous match) of this type / matching this predicate. */
  next(match: string | ((event: Event) => boolean), timeoutMs?: number): Promise<Event>;
  /** Waits QUIET_MS and fails if a run started meanwhile. */
  expectQuiet(): Promise<void>;
  /** Plain reporter: waits until stdout (or stderr) matches. */
  text(pattern: RegExp, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<void>;
  stdout(): string;
  /** Ctrl-C, and the process's result. */
  stop(): Promise<CliResult>;
}

export function startWatch(root: string, emulator: TestEmulator, args: string[] = [], env: Record<string, string> = {}): WatchDriver {
  const { child, result } = startCli(['watch', '--reporter', 'json', '--debounce', '100', ...args], {
    cwd: root,
    env: { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02', ...env },
  });
  let stdout = '';
  let stderr = '';
  const events: Event[] = [];
  let cursor = 0;
  let exited = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout!.on('data', (chunk: string) => {
    stdout += chunk;
    if (args.includes('plain')) return notify();
    const lines = stdout.split('\n');
    for (const line of lines.slice(events.length, -1)) events.push(JSON.parse(line));
    notify();
  });
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  void result.then(() => {
    exited = true;
    notify();
  });
  const until = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found !== undefined) {
          cleanup();
          resolve(found);
        } else if (exited) {
          cleanup();
          reject(new Error(`bach-render watch exited while waiting for ${what()}\nstdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what()}\nstdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr.slice(-2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(attempt);
      };
      listeners.add(attempt);
      attempt();
    });
  return {
    next(match, timeoutMs = 20_000) {
      const predicate = typeof match === 'string' ? (e: Event) => e.type === match : match;
      return until(
        () => {
          for (let i = cursor; i < events.length; i += 1) {
            if (predicate(events[i]!)) {
              cursor = i + 1;
              return events[i];
            }
          }
          return undefined;
        },
        timeoutMs,
        () => `${typeof match === 'string' ? match : 'a matching event'} (after event ${cursor})`,
      );
    },
    async expectQuiet() {
      const from = events.length;
      await sleep(QUIET_MS);
      const started = events.slice(from).filter((e) => e.type === 'watch:run-start' || e.type === 'watch:change');
      expect(started, 'no run should have started').toEqual([]);
    },
    async text(pattern, options = {}) {
      const read = () => (options.stream === 'stderr' ? stderr : stdout);
      await until(() => (pattern.test(read()) ? true : undefined), options.timeoutMs ?? 20_000, () => `${options.stream ?? 'stdout'} to match ${pattern}`);
    },
    stdout: () => stdout,
    async stop() {
      interrupt(child);
      return result;
    },
  };
}

function interrupt(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
}

/** An in-place save (most editors, `echo >`). */
export function save(root: string, path: string, contents: string | Uint8Array): void {
  writeFileSync(join(root, path), contents);
}

/** vim with `backupcopy=no` (and many tools): write a temp file, rename it over the original (new inode). */
export function saveLikeVim(root: string, path: string, contents: string | Uint8Array): void {
  const target = join(root, path);
  writeFileSync(`${target}.swp-new`, contents);
  renameSync(`${target}.swp-new`, target);
}

/** JetBrains "safe write": write a temp file, delete the original, rename the temp file to it. */
export function saveLikeJetBrains(root: string, path: string, contents: string | Uint8Array): void {
  const target = join(root, path);
  writeFileSync(`${target}___jb_tmp___`, contents);
  unlinkSync(target);
  renameSync(`${target}___jb_tmp___`, target);
}

export function lockOf(root: string): { shots: Record<string, any> } {
  return JSON.parse(readFileSync(join(root, 'bach.lock'), 'utf8'));
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

