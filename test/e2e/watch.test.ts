import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir } from '../helpers/testdir.js';
import { lockOf, save, sleep, startWatch, STORY, storyTree } from './watch-driver.js';

// `bach-render watch` end to end: the built CLI as a child process, real files, a real emulator
// whose counters witness every submission. Tests wait on the NDJSON watch events (`watch:idle` after
// every run), never on fixed sleeps; where nothing must happen ("the run's own writes trigger
// nothing"), they wait a bounded quiet period after idle. Editors and in-flight edits:
// watch-editors.test.ts.

describe('bach-render watch', () => {
  it('renders at start, then one save re-renders exactly the edited shot — and its own writes trigger nothing', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator);
    const ready = await watch.next('watch:ready');
    expect(ready.files).toEqual(['bach.yaml', 'frames/castle.png', 'frames/hero.png', 'prompts/castle.md', 'refs/front.png']);
    const first = await watch.next('watch:idle');
    expect(first).toMatchObject({ run: 1, result: 'rendered', rendered: 3, runSeconds: 11, spentSeconds: 11 });
    expect(emulator.stats().submissions.total).toBe(3);
    await watch.expectQuiet(); // outputs, bach.lock and .bach/ were written: no run

    save(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She smiles'));
    const start = await watch.next('watch:run-start');
    expect(start).toMatchObject({ run: 2, changed: ['bach.yaml'] });
    const plan = await watch.next('plan');
    expect(plan.plan.shots.filter((s: { action: string }) => s.action !== 'unchanged').map((s: { id: string }) => s.id)).toEqual(['wake']);
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'rendered', rendered: 1, runSeconds: 2, spentSeconds: 13 });
    expect(emulator.stats().submissions.total).toBe(4);
    expect(lockOf(root).shots.wake.taskId).toBe(emulator.stats().tasks.at(-1)!.taskId);
    await watch.expectQuiet();
    expect(emulator.stats().submissions.total).toBe(4);

    const result = await watch.stop();
    expect(result.code).toBe(130);
    expect(existsSync(join(root, '.bach/lock'))).toBe(false);
  });


  it('10 saves within 50 ms make one run, which sees the last save', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    // A debounce far above the burst: on a loaded machine the saves may take several times their
    // 50 ms, and a gap longer than the debounce would rightly start a second run.
    const watch = startWatch(root, emulator, ['--debounce', '1000']);
    await watch.next('watch:idle');
    for (let i = 1; i <= 10; i += 1) {
      save(root, 'prompts/castle.md', `The hero walks toward the castle, take ${i}\n`);
      await sleep(4);
    }
    expect(await watch.next('watch:run-start')).toMatchObject({ run: 2, changed: ['prompts/castle.md'] });
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'rendered', rendered: 1 });
    await watch.expectQuiet();
    expect(emulator.stats().submissions.total).toBe(4);
    // The one run rendered the final text: planning again now finds nothing to do.
    save(root, 'prompts/castle.md', 'The hero walks toward the castle, take 10\n');
    const again = await watch.next('plan');
    expect(again.plan.changes).toBe(false);
    await watch.next('watch:idle');
    await watch.stop();
  });


  it('an invalid save prints file:line:col and submits nothing; the fix renders the shot', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator);
    await watch.next('watch:idle');

    save(root, 'bach.yaml', STORY.replace('    duration: 2\n', '    duration: 99\n'));
    const diagnostics = await watch.next('diagnostics');
    expect(diagnostics.diagnostics[0]).toMatchObject({ file: 'bach.yaml', line: 16, col: 15, severity: 'error' });
    expect(await watch.next('watch:invalid')).toMatchObject({ problems: 1 });
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'invalid' });
    await watch.expectQuiet();
    expect(emulator.stats().submissions.total).toBe(3);

    save(root, 'bach.yaml', STORY.replace('    duration: 2\n', '    duration: 3\n'));
    expect(await watch.next('watch:idle')).toMatchObject({ run: 3, result: 'rendered', rendered: 1, runSeconds: 3 });
    expect(emulator.stats().submissions.total).toBe(4);
    expect(lockOf(root).shots.wake.request.duration).toBe(3);
    await watch.stop();
  });


  it('shows a compact status in a plain terminal: header, plan, diagnostics with file:line:col, totals', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator, ['--reporter', 'plain']);
    await watch.text(/run 1: 3 rendered \(11 s\) · session: 11 s generated · watching 5 files — Ctrl-C to stop/);

    save(root, 'bach.yaml', STORY.replace('prompt: She opens her eyes', 'prompt: [unclosed'));
    await watch.text(/run 2: manifest invalid/);
    await watch.text(/^bach\.yaml:\d+:\d+: error/m, { stream: 'stderr' });
    save(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She smiles'));
    await watch.text(/run 3: 1 rendered \(2 s\) · session: 13 s generated/);
    const output = watch.stdout();
    expect(output).toContain('── run 3 · bach.yaml changed ──');
    expect(output).toMatch(/~ wake\s+prompt "She opens her eyes" → "She smiles"\s+seed \d+\s+2 s/);
    expect(output).toContain('Plan: 1 to render (2 s of video), 2 unchanged');
    expect(emulator.stats().submissions.total).toBe(4);
    expect((await watch.stop()).code).toBe(130);
  });


  it('editing an image re-renders exactly the shots that use it', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator);
    await watch.next('watch:idle');

    save(root, 'frames/hero.png', makePng(11));
    expect(await watch.next('watch:run-start')).toMatchObject({ changed: ['frames/hero.png'] });
    const plan = await watch.next('plan');
    const changed = plan.plan.shots.filter((s: { action: string }) => s.action === 'update');
    expect(changed.map((s: { id: string; reasons: { text: string }[] }) => [s.id, s.reasons.map((r) => r.text)])).toEqual([
      ['wake', ['frames/hero.png changed']],
      ['castle', ['frames/hero.png changed']],
    ]);
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'rendered', rendered: 2 });
    expect(emulator.stats().submissions.total).toBe(5);

    save(root, 'refs/front.png', makePng(12));
    const subjectPlan = await watch.next('plan');
    expect(subjectPlan.plan.shots.filter((s: { action: string }) => s.action === 'update').map((s: { id: string }) => s.id)).toEqual(['castle']);
    await watch.next('watch:idle');
    expect(emulator.stats().submissions.total).toBe(6);
    await watch.stop();
  });


  it('--max-seconds is a budget for the whole session: once spent, runs only plan and say so', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator, ['--max-seconds', '13']);
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'rendered', spentSeconds: 11, maxSeconds: 13 });
    save(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She smiles'));
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'rendered', spentSeconds: 13 });
    save(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She laughs'));
    expect((await watch.next('plan')).plan.totals.secondsToGenerate).toBe(2);
    expect(await watch.next('watch:budget')).toMatchObject({ planSeconds: 2, spentSeconds: 13, maxSeconds: 13 });
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'over-budget', spentSeconds: 13 });
    expect(emulator.stats().submissions.total).toBe(4);
    // Undoing the edit costs nothing (the cache has it), so it still happens.
    save(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She smiles'));
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'rendered', spentSeconds: 13 });
    expect(emulator.stats().submissions.total).toBe(4);
    await watch.stop();
  });


  it('--dry-run only plans, on every save', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator, ['--dry-run']);
    expect((await watch.next('plan')).plan.totals.secondsToGenerate).toBe(11);
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'planned' });
    save(root, 'prompts/castle.md', 'Another castle\n');
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'planned' });
    expect(emulator.stats().requests.total).toBe(0);
    expect(existsSync(join(root, 'bach.lock'))).toBe(false);
    await watch.stop();
  });


  it('a failing render does not stop the watcher', async () => {
    const emulator = await useEmulator({ processingMs: 30, faults: { taskFailed: 1 } });
    const root = await testdir({ 'bach.yaml': 'version: 1\ndefaults: { resolution: 720p }\nshots:\n  - { id: solo, mode: text-to-video, prompt: First take, seed: 1 }\n' });
    const watch = startWatch(root, emulator, ['--retries', '0']);
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'failed', failed: 1 });
    emulator.configure({ faults: { taskFailed: 0 } });
    save(root, 'bach.yaml', 'version: 1\ndefaults: { resolution: 720p }\nshots:\n  - { id: solo, mode: text-to-video, prompt: Second take, seed: 1 }\n');
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'rendered', rendered: 1 });
    expect(existsSync(join(root, 'renders/solo.mp4'))).toBe(true);
    await watch.stop();
  });
});
