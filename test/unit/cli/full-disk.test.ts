import { describe, expect, it } from 'vitest';
import { describeFullDisk, runCli } from '../../../src/cli/run-cli.js';

// A full disk is the machine's state, not a bug: one line naming the file, no internal-error stack
// (issue 16, item 2).

describe('describeFullDisk', () => {
  it('says ENOSPC and EDQUOT in words, with the file that could not be written', () => {
    expect(describeFullDisk(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: '/p/.bach/lock' }))).toBe(
      'no space left on the device (writing /p/.bach/lock)',
    );
    expect(describeFullDisk(Object.assign(new Error('x'), { code: 'EDQUOT' }))).toBe('the disk quota is exhausted');
  });

  it('leaves every other error alone', () => {
    expect(describeFullDisk(Object.assign(new Error('x'), { code: 'EACCES' }))).toBeUndefined();
    expect(describeFullDisk(new Error('x'))).toBeUndefined();
    expect(describeFullDisk(null)).toBeUndefined();
  });

  it('is how the CLI reports a full disk', async () => {
    let err = '';
    const output = (append: (text: string) => void) => ({ write: append, isTTY: false });
    const failing = { write: () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); }, isTTY: false };
    const code = await runCli(['--version'], { cwd: '/', env: {}, stdout: failing, stderr: output((text) => (err += text)), interrupt: new AbortController().signal });
    expect(code).toBe(1);
    expect(err).toBe("error: no space left on the device\n  Free some space (or raise the quota) and run again; bach-render's records of paid work are kept.\n");
  });
});
