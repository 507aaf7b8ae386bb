import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

// Every command that loads the manifest refuses one of many invalid shots with the first problems
// and a count of the rest — and the whole list reaches a pipe: output longer than a pipe's buffer
// (64 KiB) used to be cut off by the exit.

const emptyShots = (count: number) => `version: 1\nshots: [${Array(count).fill('{}').join(',')}]\n`;

describe('a manifest of many invalid shots', () => {
  it.each([['validate'], ['plan'], ['build', '--dry-run']])('%s lists the first 200 problems, says how many more, and nothing is cut off', async (...args) => {
    const root = await testdir({ 'bach.yaml': emptyShots(5000) });
    const result = await runCli(args, { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr.match(/error\[required\]/g)).toHaveLength(200);
    expect(result.stderr).toContain('bach.yaml: error[more-problems]: 4,800 more problems not shown; fix the ones above first\n');
    expect(result.stderr.length).toBeGreaterThan(64 * 1024);
    expect(result.stderr).toMatch(args[0] === 'validate' ? /\nbach\.yaml: 5000 errors\n$/ : /\n5000 problems found; nothing was built\.\n$/);
  });
});
