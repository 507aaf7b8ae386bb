import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// Before paying, a build asks the API for the task bach.lock records for a shot's current request
// (issue 11, items 3 and 11): a clone holding only what git holds gets every video the API still
// serves for free, byte-identical, and its bach.lock does not change — without any team cache.

const api = (emulator: TestEmulator) => ({ BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' });

function videos(root: string): Record<string, string> {
  const dir = join(root, 'renders');
  const mp4s = readdirSync(dir).filter((name) => name.endsWith('.mp4')).sort();
  return Object.fromEntries(mp4s.map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
}

describe('a clone without the videos', () => {
  it('downloads what the lock names from its earlier tasks, free; the lock stays as it is', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await testdir({ 'bach.yaml': textStoryboard(3) });
    expect((await runCli(['build', '--no-remote'], { cwd: a, env: api(emulator) })).code).toBe(0);
    expect(emulator.stats().submissions.total).toBe(3);
    const b = await testdir();
    for (const file of ['bach.yaml', 'bach.lock']) writeFileSync(join(b, file), readFileSync(join(a, file)));
    // The plan says so first: one status query per locked task, nothing created.
    const planned = await runCli(['plan'], { cwd: b, env: api(emulator) });
    expect(planned.stdout).toMatch(/^\^ shot-000 .*\(from an earlier task: free, task [\w-]+\)/m);
    expect(planned.stdout).toContain('Plan: nothing to render (no cost), 3 from earlier tasks.');
    const json = JSON.parse((await runCli(['plan', '--json'], { cwd: b, env: api(emulator) })).stdout) as { shots: { source: string; taskId: string }[]; totals: { fromEarlierTasks: number } };
    expect(json.shots.map((shot) => shot.source)).toEqual(['earlier-task', 'earlier-task', 'earlier-task']);
    expect(json.totals.fromEarlierTasks).toBe(3);
    // Without keys the API cannot be asked: the plan shows the upper bound, paid renders.
    const keyless = await runCli(['plan'], { cwd: b, env: { BACH_BASE_URL: emulator.url } });
    expect(keyless.stdout).toContain('Plan: 3 to render (18 s of video)');
    const built = await runCli(['build', '--reporter', 'plain'], { cwd: b, env: api(emulator) });
    expect(built.code, built.stderr + built.stdout).toBe(0);
    expect(built.stdout).toMatch(/3 results downloaded from their earlier tasks \(bach\.lock's task ids\), free/);
    expect(emulator.stats().submissions.total).toBe(3);
    expect(videos(b)).toEqual(videos(a));
    expect(readFileSync(join(b, 'bach.lock'), 'utf8')).toBe(readFileSync(join(a, 'bach.lock'), 'utf8'));
  });

  it('renders a shot whose locked task the API no longer knows, and says so in the plan as a paid render', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await testdir({ 'bach.yaml': textStoryboard(2) });
    expect((await runCli(['build', '--no-remote'], { cwd: a, env: api(emulator) })).code).toBe(0);
    const b = await testdir({ 'bach.yaml': readFileSync(join(a, 'bach.yaml'), 'utf8') });
    const lock = JSON.parse(readFileSync(join(a, 'bach.lock'), 'utf8')) as { shots: Record<string, { taskId: string }> };
    lock.shots['shot-001']!.taskId = '00000000-0000-4000-8000-000000000000'; // a task this API never had
    writeFileSync(join(b, 'bach.lock'), `${JSON.stringify(lock, null, 2)}\n`);
    const planned = await runCli(['plan'], { cwd: b, env: api(emulator) });
    expect(planned.stderr).not.toMatch(/warning/);
    expect(planned.stdout).toMatch(/^\^ shot-000 /m);
    expect(planned.stdout).toMatch(/^[+!~] shot-001 /m);
    expect(planned.stdout).toContain('1 to render (6 s of video), 1 from earlier tasks');
    const built = await runCli(['build', '--reporter', 'plain'], { cwd: b, env: api(emulator) });
    expect(built.code, built.stderr + built.stdout).toBe(0);
    expect(emulator.stats().submissions.total).toBe(3);
  });
});
