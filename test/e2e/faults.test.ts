import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lock/parse-lockfile.js';
import { hasMp4Signature } from '../../src/video/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { submissionsByFingerprint, textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';
import { waitUntil } from '../helpers/wait-until.js';

// Never pay twice, proven against the emulator's fault injection: server errors, dropped
// connections, spurious 429s, failed tasks, Ctrl-C. Fault decisions are a hash of (seed, request,
// occurrence), so each scenario repeats exactly from run to run. The executor's money rules without
// a network (expired results, insufficient credits, retries, in-doubt creates, orphans) are
// test/integration/render/money-rules.test.ts, in-process.

function envFor(emulator: TestEmulator, extra: Record<string, string> = {}) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02', ...extra };
}

function summaryOf(stdout: string): { rendered: string[]; failed: { id: string; message: string }[]; inDoubt: string[]; notSubmitted: string[]; interrupted: boolean } {
  const line = stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'run:summary');
  if (!line) throw new Error(`no run:summary in:\n${stdout.slice(-3000)}`);
  return line.report;
}

function expectEveryShotRendered(root: string, count: number): void {
  const lock = parseLockfile(readFileSync(join(root, 'bach.lock'), 'utf8'), 'bach.lock');
  expect(Object.keys(lock.shots)).toHaveLength(count);
  for (const entry of Object.values(lock.shots)) {
    const bytes = readFileSync(join(root, entry.output.path));
    expect(bytes.length).toBe(entry.output.size);
    expect(hasMp4Signature(bytes)).toBe(true);
  }
}

describe('fault tolerance', () => {
  it('(a) completes a 100-shot build through 5xx, dropped connections, 429s, failed tasks and latency, submitting each shot once (+ only its failed-task resubmissions)', async () => {
    const emulator = await useEmulator({
      processingMs: 20,
      concurrencyPerKey: 16,
      faults: { seed: 11, error5xx: 0.1, drop: 0.05, rateLimit429: 0.05, taskFailed: 0.05, latencyMs: [0, 15] },
    });
    const root = await testdir({ 'bach.yaml': textStoryboard(100) });
    const result = await runCli(['--concurrency', '16', '--reporter', 'json'], { cwd: root, env: envFor(emulator), timeoutMs: 120_000 });
    const summary = summaryOf(result.stdout);
    expect(result.code, JSON.stringify(summary.failed)).toBe(0);
    expect(summary.rendered).toHaveLength(100);
    expectEveryShotRendered(root, 100);

    const stats = emulator.stats();
    // The faults really happened…
    expect(stats.faults.error5xx).toBeGreaterThan(10);
    expect(stats.faults.drop).toBeGreaterThanOrEqual(3);
    expect(stats.faults.rateLimit429).toBeGreaterThan(5);
    expect(stats.faults.taskFailed).toBeGreaterThan(0);
    // …and each shot was created once, plus one resubmission per failed task, never more.
    const byFingerprint = submissionsByFingerprint(stats.tasks);
    expect(byFingerprint.size).toBe(100);
    for (const [fingerprint, { created, failed }] of byFingerprint) expect(created, fingerprint).toBe(1 + failed);
  });

  it('(c) Ctrl-C stops new submissions, exits 130 without waiting for renders, and the next build resumes without paying again', async () => {
    const emulator = await useEmulator({ processingMs: 1500, concurrencyPerKey: 4 });
    const root = await testdir({ 'bach.yaml': textStoryboard(12) });
    const { child, result } = startCli(['--concurrency', '4', '--reporter', 'json'], { cwd: root, env: envFor(emulator) });
    await waitUntil(() => emulator.stats().submissions.total >= 4);
    child.kill('SIGINT');
    const interrupted = await result;
    expect(interrupted.code).toBe(130);
    // It did not wait for the renders: tasks it submitted are still running on the server.
    expect(emulator.stats().tasks.some((t) => t.status !== 'TASK_SUCCEEDED' && t.status !== 'TASK_FAILED')).toBe(true);
    expect(summaryOf(interrupted.stdout).interrupted).toBe(true);
    const journal = readdirSync(join(root, '.bach/journal')).filter((name) => name.endsWith('.json'));
    expect(journal.length).toBeGreaterThan(0);
    const submittedBefore = emulator.stats().submissions.total;
    expect(submittedBefore).toBeLessThan(12);

    const resumed = await runCli(['--concurrency', '4', '--reporter', 'json'], { cwd: root, env: envFor(emulator) });
    expect(resumed.code, resumed.stderr).toBe(0);
    expectEveryShotRendered(root, 12);
    const byFingerprint = submissionsByFingerprint(emulator.stats().tasks);
    expect(byFingerprint.size).toBe(12);
    for (const { created } of byFingerprint.values()) expect(created).toBe(1);
    expect(readdirSync(join(root, '.bach/journal')).filter((name) => name.endsWith('.json'))).toEqual([]);
  });

  it('keeps the secret key and the signed tokens out of every output, record and event, through faults and failures', async () => {
    const secretKey = 'sk-RECOGNISABLE-secret-0123456789';
    const accessKey = 'ak-recognisable-access';
    const emulator = await useEmulator({
      processingMs: 20,
      keys: [{ accessKey, secretKey }],
      sensitiveWords: ['forbidden'],
      faults: { seed: 3, error5xx: 0.2, drop: 0.1, taskFailed: 0.2, rateLimit429: 0.1 },
    });
    const root = await testdir({
      'bach.yaml': textStoryboard(8).replace('Scene number 3', 'a forbidden scene'),
      '.env': `BACH_SECRET_KEY=${secretKey}\n`,
    });
    const env = { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: accessKey, BACH_POLL_INTERVAL: '0.02' };
    const json = await runCli(['--reporter', 'json', '--retries', '0'], { cwd: root, env });
    const plain = await runCli(['--reporter', 'plain', '--force', 'shot-001'], { cwd: root, env });
    const wrongKey = await runCli(['--reporter', 'plain'], { cwd: root, env: { ...env, BACH_SECRET_KEY: `${secretKey}-wrong` } });
    expect(json.code).toBe(1); // the flagged prompt (1001) fails, the rest goes on
    expect(summaryOf(json.stdout).failed.map((f) => f.id)).toContain('shot-003');
    const texts = [json.stdout, json.stderr, plain.stdout, plain.stderr, wrongKey.stdout, wrongKey.stderr, ...filesUnder(root).filter((f) => !f.endsWith('.env') && !f.endsWith('.mp4')).map((f) => readFileSync(f, 'utf8'))];
    for (const text of texts) {
      expect(text).not.toContain(secretKey);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    }
  });
});

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : statSync(path).isFile() ? [path] : [];
  });
}
