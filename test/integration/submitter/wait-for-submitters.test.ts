import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveSubmitters, registerSubmitter, waitForSubmitters, type WaitOptions } from '../../../src/submitter/registry.js';
import { testdir } from '../../helpers/testdir.js';

// A live submitter of a killed build owns its records for as long as it lives (issue 16, item 4):
// the next build waits for it, saying so, with no deadline after which it would send the same
// creates again. A real node process stands in for the submitter.

describe('waitForSubmitters', () => {
  it('waits as long as the submitter lives, with progress, and never gives up early', async () => {
    const folder = join(await testdir(), 'submitters');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    registerSubmitter(folder, child.pid!);
    expect(liveSubmitters(folder)).toEqual([child.pid]);
    const progress: number[] = [];
    let waitingFor: number[] = [];
    // `timeoutMs` was the old deadline (120 s by default); it must not make the wait end early.
    const options: WaitOptions & { timeoutMs?: number } = {
      timeoutMs: 200,
      progressEveryMs: 300,
      onWaiting: (pids) => (waitingFor = pids),
      onStillWaiting: (_pids, waitedMs) => progress.push(waitedMs),
    };
    const started = Date.now();
    expect(await waitForSubmitters(folder, options)).toBe(true);
    await exited;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(waitingFor).toEqual([child.pid]);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(liveSubmitters(folder)).toEqual([]);
  });

  it('Ctrl-C stops the wait', async () => {
    const folder = join(await testdir(), 'submitters');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
    registerSubmitter(folder, child.pid!);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 200);
    await expect(waitForSubmitters(folder, { signal: controller.signal })).rejects.toThrow('stop');
    child.kill();
  });
});
