import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNodeProcessRunning } from '../state/process-lock.js';

// Submitters at work in a folder, as `.bach/submitters/<pid>` files. A build killed while its
// submitter still has a create on the wire leaves that submitter running for a moment; the next build
// must wait for it to record the outcome before reading the journal — otherwise it would see a
// `submitting` record whose task is about to be accepted, and submit it a second time.

export function registerSubmitter(folder: string, pid: number): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, String(pid)), `${pid}\n`);
}

export function unregisterSubmitter(folder: string, pid: number): void {
  rmSync(join(folder, String(pid)), { force: true });
}

/** Pids of registered submitters still running (files of dead ones are removed). */
export function liveSubmitters(folder: string): number[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    // Shape check: an entry is named by a pid in decimal, as registerSubmitter names it. Anything else
    // (pid 0 or -1, which kill(2) reads as groups, a damaged or planted name) is no submitter to wait
    // for; nor is a pid that is not a running node process (reused, or planted: `1` is always alive).
    // The content is not read: a registration being written may still be empty.
    if (!/^[1-9][0-9]{0,9}$/.test(name)) continue;
    const pid = Number(name);
    if (isNodeProcessRunning(pid)) live.push(pid);
    else rmSync(join(folder, name), { force: true, recursive: true });
  }
  return live;
}

export interface WaitOptions {
  signal?: AbortSignal;
  onWaiting?: (pids: number[]) => void;
  /** Give up after this long (a request's own timeouts bound a submitter's life). Default 120 s. */
  timeoutMs?: number;
}

/** Resolves when no submitter of an earlier build is running; true when it had to wait. */
export async function waitForSubmitters(folder: string, options: WaitOptions = {}): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let waited = false;
  for (;;) {
    const live = liveSubmitters(folder);
    if (live.length === 0 || Date.now() > deadline) return waited;
    if (!waited) options.onWaiting?.(live);
    waited = true;
    options.signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
