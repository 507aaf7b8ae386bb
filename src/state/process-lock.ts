import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { BachError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';

// One bach-render at a time per folder: two builds of the same manifest would each see the other's
// work as missing and pay for it twice. `.bach/lock` holds the owner's pid; it is created with
// O_EXCL, so exactly one process wins. A lock whose process is gone (kill -9, a crash) is taken over —
// through a second O_EXCL file, `.bach/lock.takeover`, so that two processes finding the same stale
// lock cannot both take it.

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
}

export interface AcquireOptions {
  /** Wait for the other process instead of failing. */
  wait: boolean;
  signal?: AbortSignal;
  /** Called once when we start waiting. */
  onWaiting?: (owner: LockOwner) => void;
  command: string;
  now: () => Date;
  pollMs?: number;
}

export interface ProcessLock {
  release(): Promise<void>;
}

const TAKEOVER_STALE_MS = 10_000;

export async function acquireProcessLock(path: string, options: AcquireOptions): Promise<ProcessLock> {
  await mkdir(dirname(path), { recursive: true });
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: options.now().toISOString(), command: options.command };
  let announced = false;
  for (;;) {
    if (await tryCreate(path, me)) return createHandle(path);
    const owner = await readOwner(path);
    if (owner === null || !isAlive(owner)) {
      if (await takeOver(path, owner, me)) return createHandle(path);
      continue;
    }
    if (!options.wait) {
      throw new BachError('busy', `another bach-render (pid ${owner.pid}, started ${owner.startedAt}) is working in this folder`, {
        hint: 'Wait for it to finish, or pass --wait to start when it does.',
      });
    }
    if (!announced) {
      options.onWaiting?.(owner);
      announced = true;
    }
    await delay(options.pollMs ?? 250, options.signal);
  }
}

async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(me)}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function takeOver(path: string, stale: LockOwner | null, me: LockOwner): Promise<boolean> {
  const marker = `${path}.takeover`;
  if (!(await tryCreate(marker, me))) {
    // Someone else is taking over right now; a marker left by a process that died mid-takeover is old.
    const age = await stat(marker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > TAKEOVER_STALE_MS) await rm(marker, { force: true });
    await delay(50);
    return false;
  }
  try {
    const current = await readOwner(path);
    const unchanged = current === null ? stale === null : stale !== null && current.pid === stale.pid && current.startedAt === stale.startedAt;
    if (!unchanged) return false;
    await writeFileAtomic(path, `${JSON.stringify(me)}\n`);
    return true;
  } finally {
    await rm(marker, { force: true });
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // Missing (released meanwhile) or unreadable: nobody holds a working lock.
    return null;
  }
  // Empty or torn (a writer killed between create and write), or planted: also nobody's lock.
  return parseLockOwner(text);
}

/**
 * The lock's owner when the text has the shape bach-render writes, else null (taken over as stale).
 * Only a positive integer pid names a process: `kill(0, …)` means "my process group" and
 * `kill(-1, …)` "every process I may signal", so a lock naming 0 or -1 would look alive for ever.
 */
export function parseLockOwner(text: string): LockOwner | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { pid, hostname: host, startedAt, command } = value as Record<string, unknown>;
  if (!isProcessId(pid) || typeof host !== 'string' || typeof startedAt !== 'string' || typeof command !== 'string') return null;
  return { pid, hostname: host, startedAt, command };
}

function isProcessId(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

/** Whether the owner still runs. A lock from another machine (shared folder) is assumed alive. */
export function isAlive(owner: LockOwner): boolean {
  if (!isProcessId(owner.pid)) return false;
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  return isNodeProcessRunning(owner.pid);
}

/** Whether `pid` (a positive integer) is a running process that may be a bach-render (node) one. */
export function isNodeProcessRunning(pid: number): boolean {
  if (!isProcessId(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // The pid exists, but pids are reused: on Linux, check that it is still a node process.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|bach-render/.test(cmdline);
  } catch {
    return true;
  }
}

function createHandle(path: string): ProcessLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const owner = await readOwner(path);
      if (owner?.pid === process.pid) await rm(path, { force: true });
    },
  };
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
