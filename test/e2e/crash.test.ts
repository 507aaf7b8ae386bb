import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lock/parse-lockfile.js';
import { parseMp4 } from '../../src/video/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { submissionsByFingerprint, textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// kill -9 at random moments, then a build to completion: every file parses after every kill, no
// output is ever half-written, and no request is paid twice. The instant between "the API created a
// task" and "its id is on disk" belongs to the detached submitter process (src/submitter), which a
// kill of the build does not reach — so the count is exact, whatever the moments.

const SHOTS = 60;

function envFor(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

function expectEverythingParses(root: string): void {
  const lockText = (() => {
    try {
      return readFileSync(join(root, 'bach.lock'), 'utf8');
    } catch {
      return null;
    }
  })();
  if (lockText !== null) parseLockfile(lockText, 'bach.lock');
  for (const folder of ['.bach', '.bach/journal', '.bach/cache']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, folder));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.json'))) JSON.parse(readFileSync(join(root, folder, name), 'utf8'));
  }
  let outputs: string[] = [];
  try {
    outputs = readdirSync(join(root, 'renders')).filter((n) => n.endsWith('.mp4') && !n.startsWith('.'));
  } catch {
    /* nothing rendered yet */
  }
  for (const name of outputs) expect(parseMp4(readFileSync(join(root, 'renders', name))).durationSeconds).toBe(6);
}

describe('crash safety', () => {
  it('(b) survives kill -9 at 5 random moments: every file parses, the build completes, nothing is paid twice unreported', async () => {
    const emulator = await useEmulator({ processingMs: 150, concurrencyPerKey: 8 });
    const root = await testdir({ 'bach.yaml': textStoryboard(SHOTS) });
    const moments: number[] = [];
    const killTimes: number[] = [];
    const journalLog: string[] = [];
    for (let kill = 0; kill < 5; kill++) {
      const { child, result } = startCli(['--concurrency', '8', '--reporter', 'json'], { cwd: root, env: envFor(emulator) });
      const moment = 150 + Math.floor(Math.random() * 900);
      moments.push(moment);
      await new Promise((resolve) => setTimeout(resolve, moment));
      killTimes.push(Date.now());
      child.kill('SIGKILL');
      const killed = await result;
      if (killed.signal !== 'SIGKILL') break; // it finished before the kill: nothing left to interrupt
      expectEverythingParses(root);
      journalLog.push(journalStates(root));
    }
    const final = await runCli(['--concurrency', '8', '--reporter', 'json'], { cwd: root, env: envFor(emulator), timeoutMs: 120_000 });
    expect(final.code, `kills at ${moments.join(', ')} ms\n${final.stderr}`).toBe(0);
    expectEverythingParses(root);
    const lock = parseLockfile(readFileSync(join(root, 'bach.lock'), 'utf8'), 'bach.lock');
    expect(Object.keys(lock.shots)).toHaveLength(SHOTS);

    // The emulator keys its counts by its own request fingerprint: one per shot, one task each.
    const byFingerprint = submissionsByFingerprint(emulator.stats().tasks);
    expect(byFingerprint.size).toBe(SHOTS);
    const doubled = [...byFingerprint].filter(([, counts]) => counts.created > 1);
    const detail = doubled.map(([fp]) => emulator.stats().tasks.filter((t) => t.fingerprint === fp).map((t) => `${t.taskId.slice(0, 8)}@${t.createdAt}`).join(' & '));
    expect(doubled, `kills at ${moments.join(', ')} ms (${killTimes.join(', ')}); doubled: ${detail.join('; ')}\njournals: ${journalLog.join('\n')}\nfinal: ${final.stdout.split('\n').filter((l) => /summary|failed/.test(l)).join('\n')}`).toEqual([]);
    expect(readdirSync(join(root, '.bach/journal')).filter((name) => name.endsWith('.json'))).toEqual([]);
    // And no false alarm: nothing was ever in doubt, so nothing is reported as possibly billed twice.
    const summary = final.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'run:summary');
    expect(summary?.report.inDoubt ?? []).toEqual([]);
  });

  it('a second build on the same folder waits (--wait) or exits with a clear message; a lock left by a dead process is taken over', async () => {
    // Tasks long enough that the first build still holds the folder while two more CLIs start, even on
    // a loaded machine (at 800 ms it had finished by then under a load of 11).
    const emulator = await useEmulator({ processingMs: 3000 });
    const root = await testdir({ 'bach.yaml': textStoryboard(2) });
    const first = startCli(['--reporter', 'plain'], { cwd: root, env: envFor(emulator) });
    await waitForFile(join(root, '.bach/lock'));
    const refused = await runCli(['--reporter', 'plain'], { cwd: root, env: envFor(emulator) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/another bach-render \(pid \d+, started .+\) is working in this folder/);
    expect(refused.stderr).toMatch(/--wait/);
    const waited = await runCli(['--reporter', 'plain', '--wait'], { cwd: root, env: envFor(emulator) });
    expect(waited.code).toBe(0);
    expect(waited.stdout).toMatch(/waiting for another bach-render/);
    expect((await first.result).code).toBe(0);
    expect(emulator.stats().submissions.total).toBe(2);

    const killed = startCli(['--reporter', 'plain', '--force', 'shot-000'], { cwd: root, env: envFor(emulator) });
    await waitForFile(join(root, '.bach/lock'));
    killed.child.kill('SIGKILL');
    await killed.result;
    const after = await runCli(['--reporter', 'plain'], { cwd: root, env: envFor(emulator) });
    expect(after.code, after.stderr).toBe(0);
  });
});

function journalStates(root: string): string {
  try {
    return readdirSync(join(root, '.bach/journal'))
      .filter((n) => n.endsWith('.json'))
      .map((n) => {
        const e = JSON.parse(readFileSync(join(root, '.bach/journal', n), 'utf8'));
        return `${e.shotId}:${e.state}:${(e.taskId ?? '').slice(0, 8)}`;
      })
      .join(' ');
  } catch {
    return '-';
  }
}

async function waitForFile(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      readFileSync(path);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${path} did not appear`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
