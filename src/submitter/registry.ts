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
  /** Called every `progressEveryMs` while still waiting, with how long it has been. */
  onStillWaiting?: (pids: number[], waitedMs: number) => void;
  /** Default 10 s. */
  progressEveryMs?: number;
  /** How often the registry is looked at. Default 20 ms. */
  pollMs?: number;
}

/**
 * Resolves when no submitter of an earlier build is running; true when it had to wait.
 *
 * There is no deadline (issue 16, item 4): the old one (120 s) let a build re-send the creates a
 * submitter still owned — a 70 s Retry-After kept one alive past it, and both its retry and the new
 * build's request were billed. A submitter's life is bounded by its requests' own timeouts and
 * retry policy; while it lives, it owns its records. The build says it is waiting and, every
 * `progressEveryMs`, for how long and which pid, so a person who must not wait can stop that process
 * (its records then say what it did: an unanswered create is held in doubt, never re-sent silently)
 * or press Ctrl-C.
 */
export async function waitForSubmitters(folder: string, options: WaitOptions = {}): Promise<boolean> {
  const started = Date.now();
  const every = options.progressEveryMs ?? 10_000;
  let nextProgress = started + every;
  let waited = false;
  for (;;) {
    const live = liveSubmitters(folder);
    if (live.length === 0) return waited;
    if (!waited) options.onWaiting?.(live);
    waited = true;
    if (Date.now() >= nextProgress) {
      options.onStillWaiting?.(live, Date.now() - started);
      nextProgress += every;
    }
    options.signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}
