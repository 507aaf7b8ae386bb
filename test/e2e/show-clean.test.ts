import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// A plan you can read, and a folder that does not grow forever (issue 15, item 6): the outputs of
// removed shots are listed until removed; `show` tells everything about a shot; `clean` removes
// outputs of removed shots and prunes the cache, dry unless --yes, never touching what is referenced.

const env = { BACH_POLL_INTERVAL: '0.05' };
const build = (root: string) => runCli(['--emulator', '--reporter', 'plain'], { cwd: root, env });

describe('removed shots, show and clean', () => {
  it('lists a removed shot\'s output until clean removes it; prunes the cache to what is referenced', async () => {
    const root = await testdir({ 'bach.yaml': textStoryboard(3) });
    expect((await build(root)).code).toBe(0);
    // An edit (a new take of shot-001), then shot-002 removed.
    writeFileSync(join(root, 'bach.yaml'), textStoryboard(3).replace('Scene number 1', 'Scene number one'));
    expect((await build(root)).code).toBe(0);
    writeFileSync(join(root, 'bach.yaml'), textStoryboard(2).replace('Scene number 1', 'Scene number one'));
    expect((await build(root)).code).toBe(0);

    for (let i = 0; i < 2; i++) {
      const plan = await runCli(['plan'], { cwd: root });
      expect(plan.stdout).toContain('- renders/shot-002.mp4  output of a shot no longer in the manifest (bach-render clean removes it)');
      expect(JSON.parse((await runCli(['plan', '--json'], { cwd: root })).stdout).strayOutputs).toEqual(['renders/shot-002.mp4']);
    }

    const show = await runCli(['show', 'shot-001'], { cwd: root });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^shot-001 {2}\(text-to-video, 6 s/);
    expect(show.stdout).toContain('"prompt": "Scene number one"');
    expect(show.stdout).toMatch(/takes {8}2 in \.bach\/cache, newest first:\n {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}task \S+ {2}seed 1 {2}← the current request {2}← in bach\.lock\n {4}\d{4}-.* seed 1\n/);
    expect((await runCli(['show', 'shot-01'], { cwd: root })).stderr).toContain('did you mean');

    const cacheBefore = readdirSync(join(root, '.bach/cache')).filter((name) => name.endsWith('.mp4')).length;
    expect(cacheBefore).toBe(4); // shot-000, two takes of shot-001, shot-002
    const dry = await runCli(['clean', '--keep', '0'], { cwd: root });
    expect(dry.stdout).toContain('Would remove renders/shot-002.mp4');
    expect(dry.stdout).toContain('Would remove 2 cached takes');
    expect(dry.stdout).toContain('Nothing was removed: run again with --yes to remove it.');
    expect(existsSync(join(root, 'renders/shot-002.mp4'))).toBe(true);
    const wet = await runCli(['clean', '--keep', '0', '--yes'], { cwd: root });
    expect(wet.code, wet.stderr).toBe(0);
    expect(existsSync(join(root, 'renders/shot-002.mp4'))).toBe(false);
    expect(readdirSync(join(root, '.bach/cache')).filter((name) => name.endsWith('.mp4'))).toHaveLength(2);
    // What is referenced stays: the next build is a no-op, and a lost output is restored for free.
    expect((await runCli(['plan'], { cwd: root })).stdout).toContain('No changes: 2 shots up to date.');
    expect((await runCli(['clean'], { cwd: root })).stdout).toMatch(/^Nothing to clean/);
  });
});
