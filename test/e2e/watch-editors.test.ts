import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir } from '../helpers/testdir.js';
import { lockOf, save, saveLikeJetBrains, saveLikeVim, sha256, startWatch, STORY, storyTree } from './watch-driver.js';

// `bach-render watch` as edits really happen: saves by rename-and-replace (vim, JetBrains), references
// added and removed, a file created to fix a manifest, and a shot edited while its task is in flight.

describe('bach-render watch while editing', () => {
  it('survives saves by rename-and-replace: vim (temp file renamed over) and JetBrains (backup, delete, rename)', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator);
    await watch.next('watch:idle');

    saveLikeVim(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She smiles'));
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'rendered', rendered: 1 });
    saveLikeVim(root, 'bach.yaml', STORY.replace('She opens her eyes', 'She laughs'));
    expect(await watch.next('watch:idle')).toMatchObject({ run: 3, result: 'rendered', rendered: 1 });

    saveLikeJetBrains(root, 'prompts/castle.md', 'The hero runs to the castle\n');
    expect(await watch.next('watch:run-start')).toMatchObject({ run: 4, changed: ['prompts/castle.md'] });
    expect(await watch.next('watch:idle')).toMatchObject({ run: 4, result: 'rendered', rendered: 1 });
    saveLikeJetBrains(root, 'prompts/castle.md', 'The hero rides to the castle\n');
    expect(await watch.next('watch:idle')).toMatchObject({ run: 5, result: 'rendered', rendered: 1 });

    // After both kinds of replacement, a plain in-place write is still seen.
    save(root, 'frames/castle.png', makePng(21));
    expect(await watch.next('watch:idle')).toMatchObject({ run: 6, result: 'rendered', rendered: 1 });
    await watch.expectQuiet();
    expect(emulator.stats().submissions.total).toBe(8);
    await watch.stop();
  });


  it('starts watching a newly referenced file and stops watching one no longer referenced', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir({ ...storyTree(), 'frames/new.png': makePng(5) });
    const watch = startWatch(root, emulator);
    await watch.next('watch:idle');

    save(root, 'bach.yaml', STORY.replace('image: frames/hero.png', 'image: frames/new.png'));
    expect(await watch.next('watch:files')).toMatchObject({ added: ['frames/new.png'], removed: [] });
    await watch.next('watch:idle');
    save(root, 'frames/new.png', makePng(6));
    expect(await watch.next('watch:run-start')).toMatchObject({ changed: ['frames/new.png'] });
    await watch.next('watch:idle');

    // castle still uses frames/hero.png; dropping that reference too stops watching it.
    save(root, 'bach.yaml', STORY.replace('image: frames/hero.png', 'image: frames/new.png').replace('images: [frames/hero.png, frames/castle.png]', 'images: [frames/castle.png]'));
    expect(await watch.next('watch:files')).toMatchObject({ added: [], removed: ['frames/hero.png'] });
    await watch.next('watch:idle');
    const before = emulator.stats().submissions.total;
    save(root, 'frames/hero.png', makePng(7));
    await watch.expectQuiet();
    expect(emulator.stats().submissions.total).toBe(before);
    await watch.stop();
  });


  it('a missing file referenced by a broken manifest is watched: creating it fixes the state', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const root = await testdir(storyTree());
    const watch = startWatch(root, emulator);
    await watch.next('watch:idle');

    save(root, 'bach.yaml', STORY.replace('image: frames/hero.png', 'image: frames/later.png'));
    expect((await watch.next('diagnostics')).diagnostics[0]).toMatchObject({ code: 'file-missing' });
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'invalid' });
    save(root, 'frames/later.png', makePng(8));
    expect(await watch.next('watch:run-start')).toMatchObject({ changed: ['frames/later.png'] });
    expect(await watch.next('watch:idle')).toMatchObject({ result: 'rendered', rendered: 1 });
    await watch.stop();
  });


  it('a shot edited while its task is in flight: the old result goes to the cache only, the new version is submitted', async () => {
    const emulator = await useEmulator({ processingMs: 1500 });
    const root = await testdir({ 'bach.yaml': 'version: 1\ndefaults: { resolution: 720p }\nshots:\n  - { id: solo, mode: text-to-video, prompt: First take, seed: 1 }\n' });
    const watch = startWatch(root, emulator);
    const firstPlan = await watch.next('plan');
    const oldFingerprint = firstPlan.plan.shots[0].fingerprint as string;
    await watch.next((e) => e.type === 'shot:status' && e.status === 'pending' && e.taskId);

    save(root, 'bach.yaml', 'version: 1\ndefaults: { resolution: 720p }\nshots:\n  - { id: solo, mode: text-to-video, prompt: Second take, seed: 1 }\n');
    expect(await watch.next('watch:change')).toMatchObject({ paths: ['bach.yaml'], running: true });
    expect(await watch.next('watch:stale')).toMatchObject({ shots: ['solo'] });
    expect(await watch.next('shot:collected')).toMatchObject({ id: 'solo' });
    expect(await watch.next('watch:idle')).toMatchObject({ run: 1, result: 'rendered', rendered: 0, runSeconds: 6 });
    expect(existsSync(join(root, 'renders/solo.mp4'))).toBe(false);

    const secondPlan = await watch.next('plan');
    const newFingerprint = secondPlan.plan.shots[0].fingerprint as string;
    expect(newFingerprint).not.toBe(oldFingerprint);
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'rendered', rendered: 1, spentSeconds: 12 });
    await watch.expectQuiet();

    expect(existsSync(join(root, `.bach/cache/${oldFingerprint}.mp4`))).toBe(true);
    const entry = lockOf(root).shots.solo;
    expect(entry.fingerprint).toBe(newFingerprint);
    expect(entry.output.sha256).toBe(sha256(readFileSync(join(root, 'renders/solo.mp4'))));
    expect(emulator.stats().submissions.total).toBe(2);
    await watch.stop();
  });

});
