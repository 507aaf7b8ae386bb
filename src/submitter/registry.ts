import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (isRunning(pid)) live.push(pid);
    else rmSync(join(folder, name), { force: true });
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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
