import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { runInProcess, startInProcess } from '../../helpers/in-process-cli.js';
import { textStoryboard } from '../../helpers/storyboards.js';
import { testdir } from '../../helpers/testdir.js';
import { waitUntil } from '../../helpers/wait-until.js';

// No surprise spend (issue 15, item 1): on a terminal, a build that would pay shows its plan and asks
// first, defaulting to no; --yes, --emulator, a plan with nothing to pay for and a run without a
// terminal never ask. Watch on a terminal renders a plan when Enter is pressed, not on every save.

const QUESTION = 'Render? (yes/no) [no]: ';

async function project(emu: TestEmulator, shots = 2) {
  const root = await testdir({ 'bach.yaml': textStoryboard(shots) });
  const env = { BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: emu.secretKey, BACH_POLL_INTERVAL: '0.02' };
  return { root, env };
}

describe('a build on a terminal asks before it pays', () => {
  it('declines by default: an empty answer sends nothing and writes nothing', async () => {
    const emu = await useEmulator();
    const { root, env } = await project(emu);
    const run = startInProcess(['build', '--reporter', 'plain'], { cwd: root, env, terminal: true });
    await run.waitForText(QUESTION);
    expect(run.stdout()).toContain('Render 2 shots: 12 s of video, billed to your Bach account.');
    // The plan comes first: the person sees what they are asked to pay for.
    expect(run.stdout().indexOf('shot-000')).toBeLessThan(run.stdout().indexOf(QUESTION));
    run.type('');
    expect(await run.done).toBe(1);
    expect(run.stdout()).toContain('Build cancelled: nothing was uploaded or submitted.');
    expect(emu.stats().requests.total).toBe(0);
    expect(existsSync(join(root, 'bach.lock'))).toBe(false);
  });

  it('renders after "yes", and only "yes" or "y" count as yes', async () => {
    const emu = await useEmulator();
    const { root, env } = await project(emu);
    const no = startInProcess(['build', '--reporter', 'plain'], { cwd: root, env, terminal: true });
    no.type('sure');
    expect(await no.done).toBe(1);
    expect(emu.stats().requests.total).toBe(0);
    const yes = startInProcess(['build'], { cwd: root, env, terminal: true });
    await yes.waitForText(QUESTION);
    yes.type('yes');
    expect(await yes.done, yes.stderr()).toBe(0);
    expect(emu.stats().submissions.total).toBe(2);
    // Nothing left to pay for: the next build on the terminal does not ask.
    const again = await runInProcess(['build', '--reporter', 'plain'], { cwd: root, env, terminal: true });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain(QUESTION);
  });

  it('Ctrl-C at the question stops with 130 and sends nothing', async () => {
    const emu = await useEmulator();
    const { root, env } = await project(emu);
    const run = startInProcess(['build', '--reporter', 'plain'], { cwd: root, env, terminal: true });
    await run.waitForText(QUESTION);
    run.interrupt();
    expect(await run.done).toBe(130);
    expect(emu.stats().requests.total).toBe(0);
  });

  it('never asks with --yes, without a terminal, with --reporter json or against --emulator', async () => {
    const emu = await useEmulator();
    for (const [argv, terminal] of [
      [['build', '--yes', '--reporter', 'plain'], true],
      [['build', '-y', '--reporter', 'plain'], true],
      [['build', '--reporter', 'plain'], false],
      [['build', '--reporter', 'json'], true],
    ] as const) {
      const { root, env } = await project(emu, 1);
      const result = await runInProcess([...argv], { cwd: root, env, terminal });
      expect(result.code, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
      expect(result.stdout).not.toContain(QUESTION);
    }
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    const embedded = await runInProcess(['build', '--emulator', '--reporter', 'plain'], { cwd: root, env: { BACH_POLL_INTERVAL: '0.02' }, terminal: true });
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(embedded.stdout).not.toContain(QUESTION);
  });
});

describe('watch on a terminal renders when Enter is pressed', () => {
  it('plans every save, renders only on Enter; a save before Enter plans again', async () => {
    const emu = await useEmulator();
    const { root, env } = await project(emu, 1);
    const run = startInProcess(['watch', '--reporter', 'plain', '--debounce', '20'], { cwd: root, env, terminal: true });
    await run.waitForText('Press Enter to render (6 s of video, billed)');
    expect(emu.stats().requests.total).toBe(0);
    // An autosave of a half-typed prompt: planned again, still not billed.
    writeFileSync(join(root, 'bach.yaml'), textStoryboard(1).replace('Scene number 0', 'Scene numb'));
    await waitUntil(() => run.stdout().split('Press Enter to render').length - 1 >= 2, { describe: () => run.stdout() + run.stderr() });
    expect(run.stdout()).toContain('planned only (saved again before Enter)');
    expect(emu.stats().requests.total).toBe(0);
    run.type('');
    await waitUntil(() => emu.stats().submissions.total === 1 && run.stdout().includes('rendered'), { describe: () => run.stdout() + run.stderr() });
    run.interrupt();
    expect(await run.done).toBe(130);
    expect(emu.stats().submissions.total).toBe(1);
  });

  it('with --yes renders on save without asking', async () => {
    const emu = await useEmulator();
    const { root, env } = await project(emu, 1);
    const run = startInProcess(['watch', '--yes', '--reporter', 'plain'], { cwd: root, env, terminal: true });
    await waitUntil(() => emu.stats().submissions.total === 1, { describe: () => run.stdout() + run.stderr() });
    run.interrupt();
    expect(await run.done).toBe(130);
    expect(run.stdout()).not.toContain('Press Enter');
  });
});
