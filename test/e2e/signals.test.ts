import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { submissionsByFingerprint, textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';
import { waitUntil } from '../helpers/wait-until.js';

// A closed terminal or a dropped SSH session sends SIGHUP. It must stop a build the way SIGTERM and
// Ctrl-C do — a summary, the folder lock released, accepted tasks kept for the next build — not kill
// it on the spot (which left `.bach/lock` behind and printed nothing).

function envFor(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.05' };
}

function summaryOf(stdout: string): { interrupted: boolean } | undefined {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((event) => event.type === 'run:summary')?.report;
}

describe('signals', () => {
  it.each(['SIGHUP', 'SIGTERM'] as const)('%s stops the build with a summary, releases the lock, and the next build pays nothing twice', async (signal) => {
    const emulator = await useEmulator({ processingMs: 1500, concurrencyPerKey: 4 });
    const root = await testdir({ 'bach.yaml': textStoryboard(8) });
    const { child, result } = startCli(['--concurrency', '4', '--reporter', 'json'], { cwd: root, env: envFor(emulator) });
    await waitUntil(() => emulator.stats().submissions.total >= 4);
    child.kill(signal);
    const stopped = await result;
    expect(stopped.signal, stopped.stderr).toBeNull();
    expect(stopped.code).toBe(130);
    expect(summaryOf(stopped.stdout)?.interrupted).toBe(true);
    expect(existsSync(join(root, '.bach/lock'))).toBe(false);

    const resumed = await runCli(['--concurrency', '4', '--reporter', 'json'], { cwd: root, env: envFor(emulator) });
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const { created } of submissionsByFingerprint(emulator.stats().tasks).values()) expect(created).toBe(1);
    expect(readdirSync(join(root, 'renders')).filter((name) => name.endsWith('.mp4'))).toHaveLength(8);
  });
});
