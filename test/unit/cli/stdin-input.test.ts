import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createStdinInput } from '../../../src/cli/stdin-input.js';

// The keyboard port over a real stream: one line per question, nothing left listening afterwards
// (an open readline would keep the process alive after the command ends).

function fakeStdin(isTTY: boolean): NodeJS.ReadStream {
  return Object.assign(new PassThrough(), { isTTY }) as unknown as NodeJS.ReadStream;
}

describe('createStdinInput', () => {
  it('answers each question with the next line typed, and lets go of the stream in between', async () => {
    const stdin = fakeStdin(true);
    const input = createStdinInput(() => stdin);
    expect(input.isTTY).toBe(true);
    const first = input.readLine(new AbortController().signal);
    stdin.write('yes\n');
    expect(await first).toBe('yes');
    expect(stdin.listenerCount('data')).toBe(0);
    const second = input.readLine(new AbortController().signal);
    stdin.write('\n');
    expect(await second).toBe('');
  });

  it('answers null when the question is aborted (Ctrl-C) or the input ends', async () => {
    const stdin = fakeStdin(false);
    const input = createStdinInput(() => stdin);
    expect(input.isTTY).toBe(false);
    const controller = new AbortController();
    const aborted = input.readLine(controller.signal);
    controller.abort();
    expect(await aborted).toBeNull();
    expect(await input.readLine(controller.signal)).toBeNull();
    const ended = input.readLine(new AbortController().signal);
    stdin.end();
    expect(await ended).toBeNull();
  });
});
