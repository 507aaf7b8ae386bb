import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';
import { waitUntil } from '../helpers/wait-until.js';

// Under --emulator the API lives inside the build's own process, so its tasks end with it (issue 15,
// item 3). After Ctrl-C the build must not promise that they resume for free, and the next build must
// render those shots again instead of failing on "task … no longer exists on the server". The same
// after a kill -9, which leaves the journal entries behind with no summary at all.

function acceptedEntries(root: string): number {
  const dir = join(root, '.bach/journal');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .filter((name) => {
      try {
        return JSON.parse(readFileSync(join(dir, name), 'utf8')).state === 'accepted';
      } catch {
        return false;
      }
    }).length;
}

describe('an interrupted --emulator build', () => {
  it.each(['SIGINT', 'SIGKILL'] as const)('after %s, says the truth and the next build renders the shots without an error', async (signal) => {
    const root = await testdir({ 'bach.yaml': textStoryboard(3) });
    const env = { BACH_POLL_INTERVAL: '0.05' };
    const { child, result } = startCli(['--emulator', '--reporter', 'plain'], { cwd: root, env });
    // The embedded emulator's tasks take 2 s: stop while they are accepted and rendering.
    await waitUntil(() => acceptedEntries(root) >= 1);
    child.kill(signal);
    const stopped = await result;
    if (signal === 'SIGINT') {
      expect(stopped.code, stopped.stderr).toBe(130);
      expect(stopped.stdout).toContain('The embedded emulator stops with this build, and its unfinished tasks with it: the next build renders those shots again');
      expect(stopped.stdout).not.toContain('resume on the next build at no extra cost');
    }

    const next = await runCli(['--emulator', '--reporter', 'plain'], { cwd: root, env });
    expect(next.code, `${next.stdout}\n${next.stderr}`).toBe(0);
    expect(next.stdout + next.stderr).not.toContain('no longer exists on the server');
    expect(next.stdout + next.stderr).toContain("The embedded emulator's tasks ended with the earlier build that ran it");
    expect(readdirSync(join(root, 'renders')).filter((name) => name.endsWith('.mp4')).sort()).toEqual(['shot-000.mp4', 'shot-001.mp4', 'shot-002.mp4']);
    expect(acceptedEntries(root)).toBe(0);
  });
});
