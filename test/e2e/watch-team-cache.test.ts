import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { testdir } from '../helpers/testdir.js';
import { lockOf, save, startWatch, STORY, storyTree } from './watch-driver.js';

// Watch pays no more than build does (issue 11, item 3): a watch session in a fresh clone takes from
// the team cache and from the tasks bach.lock names what the team already paid for, and pushes what
// each of its runs renders, so a teammate's build of the edit is free too.

// The tests run with CI set: only a job holding the signing key writes to the team cache.
const SIGNED = { BACH_REMOTE_SIGNING_KEY: 'watch-team-cache-signing-key-0123456789' };
const api = (emulator: TestEmulator) => ({ BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02', ...SIGNED });

async function clone(from: string): Promise<string> {
  const tree = storyTree();
  const root = await testdir(tree);
  writeFileSync(join(root, 'bach.lock'), readFileSync(join(from, 'bach.lock')));
  return root;
}

describe('watch with a team cache', () => {
  it('a fresh clone gets every shot free at start; a save renders only the edit, and it is pushed for the team', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const share = join(await testdir(), 'share');
    mkdirSync(share);
    const a = await testdir(storyTree());
    const first = await runCli(['build', '--remote', share, '--reporter', 'plain'], { cwd: a, env: api(emulator) });
    expect(first.stdout, first.stderr).toMatch(/3 new results pushed/);
    expect(emulator.stats().submissions.total).toBe(3);

    const b = await clone(a);
    const watch = startWatch(b, emulator, ['--remote', share], SIGNED);
    expect(await watch.next((event) => event.type === 'message' && /3 results fetched, free/.test(event.message))).toBeTruthy();
    expect(await watch.next('watch:idle')).toMatchObject({ run: 1, rendered: 0, runSeconds: 0 });
    expect(emulator.stats().submissions.total).toBe(3); // nothing paid for again
    expect(lockOf(b)).toEqual(lockOf(a)); // the clone's lock names A's results, unchanged
    save(b, 'bach.yaml', STORY.replace('A sunset over the ocean', 'A sunrise over the ocean'));
    expect(await watch.next((event) => event.type === 'message' && /1 new result pushed/.test(event.message))).toBeTruthy();
    expect(await watch.next('watch:idle')).toMatchObject({ run: 2, result: 'rendered', rendered: 1 });
    await watch.stop();
    expect(emulator.stats().submissions.total).toBe(4);

    // A teammate building B's edit pays nothing: the result is in the team cache.
    const c = await testdir(storyTree());
    writeFileSync(join(c, 'bach.yaml'), readFileSync(join(b, 'bach.yaml')));
    const built = await runCli(['build', '--remote', share, '--reporter', 'plain'], { cwd: c, env: api(emulator) });
    expect(built.code, built.stderr + built.stdout).toBe(0);
    expect(emulator.stats().submissions.total).toBe(4);
  });

  it('without a team cache, a clone watching gets the videos from the tasks bach.lock names, free', async () => {
    const emulator = await useEmulator({ processingMs: 30 });
    const a = await testdir(storyTree());
    expect((await runCli(['build', '--no-remote'], { cwd: a, env: api(emulator) })).code).toBe(0);
    const b = await clone(a);
    const watch = startWatch(b, emulator);
    expect(await watch.next((event) => event.type === 'message' && /3 results downloaded from their earlier tasks/.test(event.message))).toBeTruthy();
    expect(await watch.next('watch:idle')).toMatchObject({ run: 1, rendered: 0, runSeconds: 0 });
    await watch.stop();
    expect(emulator.stats().submissions.total).toBe(3);
    expect(lockOf(b)).toEqual(lockOf(a));
  });
});
