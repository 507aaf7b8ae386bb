import { describe, expect, it } from 'vitest';
import { createFdOutput, type FdIo } from '../../../src/cli/fd-output.js';

// The CLI's stdout and stderr write straight to their descriptors and make Node's stream only when
// something needs it (src/cli/fd-output.ts). A scripted descriptor and a recording stream stand in.

function setUp(options: { tty?: boolean; accepts?: (Error | number)[] } = {}) {
  const written: string[] = [];
  const pieces: Buffer[] = [];
  const accepts = [...(options.accepts ?? [])];
  const io: FdIo = {
    isatty: () => options.tty ?? false,
    writeSync(_fd, buffer, offset) {
      const next = accepts.shift();
      if (next instanceof Error) throw next;
      const count = Math.min(next ?? Infinity, buffer.length - offset);
      pieces.push(Buffer.from(buffer.subarray(offset, offset + count)));
      written.push(Buffer.from(buffer.subarray(offset, offset + count)).toString('utf8'));
      return count;
    },
  };
  const streamed: string[] = [];
  const callbacks: (() => void)[] = [];
  let opened = 0;
  const stream = {
    isTTY: options.tty ?? false,
    columns: options.tty ? 120 : undefined,
    rows: options.tty ? 40 : undefined,
    write(chunk: string | Uint8Array, callback?: () => void) {
      streamed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      if (callback) callbacks.push(callback);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const output = createFdOutput(1, () => ((opened += 1), stream), io);
  return { output, written, pieces, streamed, callbacks, opened: () => opened };
}

describe('createFdOutput', () => {
  it('writes straight to the descriptor and never makes the stream for a plain write', () => {
    const { output, written, opened } = setUp();
    output.write('No changes: 3 shots up to date.\n');
    expect(written).toEqual(['No changes: 3 shots up to date.\n']);
    expect(output.isTTY).toBe(false);
    expect(output.columns).toBeUndefined();
    expect(output.rows).toBeUndefined();
    expect(opened()).toBe(0);
  });

  it('writes the rest of a text the descriptor took in part, bytes not characters', () => {
    const { output, pieces } = setUp({ accepts: [3, 2] });
    output.write('é→ok');
    // 'é' is 2 bytes and '→' 3: the descriptor took 3 bytes, then 2, then the rest.
    expect(pieces.map((p) => p.length)).toEqual([3, 2, 2]);
    expect(Buffer.concat(pieces).toString('utf8')).toBe('é→ok');
  });

  it('hands what the descriptor would not take now (EAGAIN) to the stream, and everything after it too', () => {
    const again = Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    const { output, written, streamed, opened } = setUp({ accepts: [4, again] });
    output.write('abcdefgh');
    output.write('next\n');
    expect(written).toEqual(['abcd']);
    expect(streamed).toEqual(['efgh', 'next\n']);
    expect(opened()).toBe(1);
  });

  it('hands a failed write (a reader gone) to the stream, which reports it as it always did', () => {
    const gone = Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    const { output, written, streamed } = setUp({ accepts: [gone] });
    output.write('line\n');
    expect(written).toEqual([]);
    expect(streamed).toEqual(['line\n']);
  });

  it("asks a terminal's size of the stream, and only of a terminal", () => {
    const { output, opened } = setUp({ tty: true });
    expect(output.isTTY).toBe(true);
    expect(opened()).toBe(0);
    expect(output.columns).toBe(120);
    expect(output.rows).toBe(40);
    expect(opened()).toBe(1);
  });

  it('flushes at once when no stream was made, else once the stream has handed everything on', () => {
    const direct = setUp();
    let flushed = false;
    direct.output.flush(() => (flushed = true));
    expect(flushed).toBe(true);

    const again = Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    const queued = setUp({ accepts: [again] });
    queued.output.write('held\n');
    let later = false;
    queued.output.flush(() => (later = true));
    expect(later).toBe(false);
    queued.callbacks.forEach((callback) => callback());
    expect(later).toBe(true);
  });
});
