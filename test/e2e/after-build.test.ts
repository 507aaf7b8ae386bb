import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// Builds keep the film in view (issue 12, item 3): every build rewrites the review page when it
// changed, and `cut: true` in the manifest makes a build that leaves every shot up to date cut too.

describe('after a build', () => {
  it('the review page is written, and rewritten when a shot changes', async () => {
    const root = await testdir({ 'bach.yaml': textStoryboard(2) });
    const env = { BACH_POLL_INTERVAL: '0.05' };
    const first = await runCli(['--emulator', '--reporter', 'plain'], { cwd: root, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Review page: renders/index.html');
    const page = readFileSync(join(root, 'renders/index.html'), 'utf8');
    expect(page).toContain('shot-000');
    expect(page).toContain('Scene number 1');
    // The same page `review` draws (the manifest named as the user names it, never an absolute path).
    expect(page).not.toContain(root);
    expect((await runCli(['review'], { cwd: root })).stdout).toMatch(/^Unchanged: renders\/index\.html/);
    writeFileSync(join(root, 'bach.yaml'), textStoryboard(2).replace('Scene number 1', 'Scene number one'));
    const second = await runCli(['--emulator', '--reporter', 'plain'], { cwd: root, env });
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(root, 'renders/index.html'), 'utf8')).toContain('Scene number one');
  });

  it('with cut: true, the film is cut once every shot is up to date', async () => {
    const root = await testdir({ 'bach.yaml': textStoryboard(2).replace('version: 1\n', 'version: 1\nname: trailer\ncut: true\n') });
    const build = await runCli(['--emulator', '--reporter', 'plain'], { cwd: root, env: { BACH_POLL_INTERVAL: '0.05' } });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Cut renders\/trailer\.mp4: 2 shots, 12\.\d\d s \(cut: true in the manifest\)/);
    expect(existsSync(join(root, 'renders/trailer.otio'))).toBe(true);
    expect(readFileSync(join(root, 'renders/index.html'), 'utf8')).toContain('trailer.mp4');
  });
});
