import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Output } from '../util/cli-context.js';

// The process's stdout or stderr as the CLI writes to it, without making Node's stream for the file
// descriptor until something needs one. `process.stdout` is made on first use: for a pipe, a socket
// with the net and stream machinery behind it, ~2 ms on a 2-core machine — about 2% of a no-op
// build of 1,000 shots, which needs nothing but one line written (issue 14 item 4).
// So text is written straight to the descriptor, as Node's own stdout does on Linux for files,
// terminals and pipes (synchronously); the stream is made only for what needs it — the terminal's
// size, or the rest of a text the descriptor would not take now (a full non-blocking pipe: EAGAIN),
// or any write that failed (a reader gone: the stream reports it as it always did). Once the stream
// exists, everything goes through it, so nothing is written out of order. A reader that does not
// read (`bach-render plan | sleep 60`) holds a write until it reads or goes away, as Node's own stdout
// does on Linux; on macOS Node's stream would have queued it instead. [decided]

export interface FdOutput extends Output {
  /** Calls back once everything written has been handed to the OS (at once when no stream was made). */
  flush(done: () => void): void;
}

export interface FdIo {
  isatty(fd: number): boolean;
  writeSync(fd: number, buffer: Uint8Array, offset: number): number;
}

const SYSTEM_IO: FdIo = {
  isatty,
  writeSync: (fd, buffer, offset) => writeSync(fd, buffer, offset),
};

export function createFdOutput(fd: 1 | 2, openStream: () => NodeJS.WriteStream, io: FdIo = SYSTEM_IO): FdOutput {
  let stream: NodeJS.WriteStream | undefined;
  const streamNow = () => (stream ??= openStream());
  return {
    write(text) {
      if (stream) {
        stream.write(text);
        return;
      }
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < bytes.length) offset += io.writeSync(fd, bytes, offset);
      } catch {
        streamNow().write(bytes.subarray(offset));
      }
    },
    get isTTY() {
      return stream ? Boolean(stream.isTTY) : io.isatty(fd);
    },
    // Only a terminal has a size; a pipe's or a file's stream would be made to say it has none.
    get columns() {
      return io.isatty(fd) ? streamNow().columns : undefined;
    },
    get rows() {
      return io.isatty(fd) ? streamNow().rows : undefined;
    },
    flush(done) {
      if (!stream) return done();
      try {
        stream.write('', () => done());
      } catch {
        done();
      }
    },
  };
}
