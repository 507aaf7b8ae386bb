import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { requireSystemTools, type SystemTool } from '../helpers/system-tools.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// The live view in a real terminal (issue 15, item 4), driven through tmux: a 60-shot build against
// the embedded emulator in a 100×20 terminal. The screen never holds more than the terminal; the
// header counts shots done / rendering / queued with the seconds and the time left; no raw log of
// events; the build ends with its summary.

const TMUX: SystemTool = { command: 'tmux', args: ['-V'], aptPackage: 'tmux' };
const tmux = requireSystemTools('the terminal view tests', [TMUX]);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function run(...args: string[]): string {
  const result = spawnSync('tmux', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(tmux.skip)('the live view in tmux', () => {
  beforeAll(tmux.assertAvailable);

  it('a 60-shot build: a header with counts and time left, bounded height, a clean summary', async () => {
    const root = await testdir({ 'bach.yaml': textStoryboard(60) });
    const session = `bach-view-${process.pid}`;
    const socket = join(root, '.tmux');
    // A person's terminal, not CI (where the view is the plain log by design): CI unset for the build.
    const shell = `cd ${root} && env -u CI -u GITHUB_ACTIONS TERM=xterm-256color BACH_POLL_INTERVAL=0.1 ${process.execPath} ${CLI} --emulator --concurrency 12; echo EXIT=$?; sleep 60`;
    run('-S', socket, 'new-session', '-d', '-s', session, '-x', '100', '-y', '20', shell);
    onTestFinished(() => void spawnSync('tmux', ['-S', socket, 'kill-server']));
    const screens: string[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const screen = run('-S', socket, 'capture-pane', '-p', '-t', session);
      screens.push(screen);
      if (screen.includes('EXIT=') || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const last = screens.at(-1)!;
    expect(last).toContain('EXIT=0');
    expect(last).toMatch(/Done in [\d.]+ s: 60 rendered \(360 s of video generated\)\./);
    const headers = screens.flatMap((screen) => screen.split('\n')).filter((line) => /^\d+\/60 done · \d+ rendering · \d+ queued · \d+ s generated, \d+ s to go/.test(line));
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.some((line) => / · about \d+ (s|min \d\d s) left$/.test(line))).toBe(true);
    // The words of the states, never an event log: no "[ 1.2 s] shot-001: processing" lines.
    const all = run('-S', socket, 'capture-pane', '-p', '-S', '-', '-t', session);
    expect(all).not.toMatch(/\[\s*[\d.]+ s\] shot-\d+/);
    expect(screens.join('\n')).toMatch(/ {2}• shot-\d{3} +(rendering|submitting|downloading) \d+ s/);
    // Never more lines than the terminal has.
    for (const screen of screens) expect(screen.replace(/\n+$/, '').split('\n').length).toBeLessThanOrEqual(20);
    expect(all).not.toMatch(/uploading/); // no shot here has an image to upload
    // What scrolled away is the plan (60 lines + its summary) and the final summary, not a redraw per frame.
    expect(all.split('\n').filter((line) => line.trim() !== '').length).toBeLessThan(60 + 30);
  });
});
