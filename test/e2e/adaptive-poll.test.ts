import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { testdir } from '../helpers/testdir.js';

// Adaptive polling end to end (issue 14, item 1): the built CLI against the real emulator. A first
// build learns how long its tasks take (`.bach/task-durations.json`); a second build of the same
// kind of shots polls near their expected end, and so polls fewer times. Judged on the emulator's
// poll counter, never on time.

const SHOTS = 6;
const STORY = ['version: 1', 'defaults: { resolution: 720p }', 'shots:', ...Array.from({ length: SHOTS }, (_, i) => `  - { id: s${i}, mode: text-to-video, prompt: "Scene ${i}", seed: ${i} }`)].join('\n') + '\n';

function build(root: string, emulator: TestEmulator, env: Record<string, string> = {}) {
  return runCli(['build', '--concurrency', String(SHOTS)], {
    cwd: root,
    env: { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.05', ...env },
  });
}

/** Forget the build but what it learned: the next build renders every shot again. */
function forgetAllButDurations(root: string): void {
  for (const path of ['bach.lock', 'renders', '.bach/cache', '.bach/up-to-date.json']) rmSync(join(root, path), { recursive: true, force: true });
}

function learned(root: string): Record<string, [number, number][]> {
  return (JSON.parse(readFileSync(join(root, '.bach', 'task-durations.json'), 'utf8')) as { kinds: Record<string, [number, number][]> }).kinds;
}

describe('adaptive polling', () => {
  it('a second build with learned durations polls fewer times than the first', async () => {
    // Tasks of 1.5 s ± 10% polled every 50 ms: about 30 polls a task when nothing is learned (fewer on a
    // loaded machine, whose timers run late), a handful near the learned end.
    const emulator = await useEmulator({ processingMs: 1_500, processingSpread: 0.1, timingSeed: 14 });
    const root = await testdir({ 'bach.yaml': STORY });

    const first = await build(root, emulator);
    expect(first.code, first.stderr).toBe(0);
    const firstPolls = emulator.stats().polls;
    const kinds = learned(root);
    expect(Object.keys(kinds)).toEqual(['text-to-video|720p|6']);
    expect(kinds['text-to-video|720p|6']).toHaveLength(SHOTS);
    // Each task's end as polling saw it: after the last poll that said running, by the one that said done.
    for (const [low, high] of kinds['text-to-video|720p|6']!) {
      expect(low).toBeGreaterThan(1_000);
      expect(high).toBeGreaterThan(low);
    }

    forgetAllButDurations(root);
    const second = await build(root, emulator);
    expect(second.code, second.stderr).toBe(0);
    expect(emulator.stats().submissions.total).toBe(2 * SHOTS);
    const secondPolls = emulator.stats().polls - firstPolls;
    // Every first-build task started with nothing learned (all six at once); every second-build task with six durations.
    expect(secondPolls).toBeLessThan(firstPolls / 2);
    expect(learned(root)['text-to-video|720p|6']).toHaveLength(2 * SHOTS);

    // BACH_POLL=fixed: the fixed poller again, whatever was learned.
    forgetAllButDurations(root);
    const third = await build(root, emulator, { BACH_POLL: 'fixed' });
    expect(third.code, third.stderr).toBe(0);
    expect(emulator.stats().polls - firstPolls - secondPolls).toBeGreaterThan(secondPolls * 2);
  });

  it('a damaged durations file is ignored with a warning, and the build polls as if nothing were learned', async () => {
    const emulator = await useEmulator({ processingMs: 300 });
    const root = await testdir({ 'bach.yaml': STORY, '.bach/task-durations.json': '{"version":1,"kinds":{"text-to-video|720p|6":[1,"x"]}}' });
    const result = await build(root, emulator);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toMatch(/task-durations\.json is ignored \(text-to-video\|720p\|6: a duration is not a whole number/);
    // Rewritten with what this build measured.
    expect(learned(root)['text-to-video|720p|6']).toHaveLength(SHOTS);
  });
});
