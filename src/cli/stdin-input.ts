import { createInterface } from 'node:readline';
import type { Input } from '../util/cli-context.js';

// The process's stdin as the commands' `Input` port. A readline interface is opened per question and
// closed after the answer: an open one would keep the process alive (and hold the terminal) after the
// command is done. Ctrl-C while a question waits aborts the command's signal, which answers null.

export function createStdinInput(stdin: NodeJS.ReadStream): Input {
  return {
    get isTTY() {
      return Boolean(stdin.isTTY);
    },
    readLine(signal) {
      if (signal.aborted) return Promise.resolve(null);
      return new Promise((resolve) => {
        const lines = createInterface({ input: stdin, terminal: false });
        let answered = false;
        const finish = (answer: string | null) => {
          if (answered) return;
          answered = true;
          signal.removeEventListener('abort', onAbort);
          lines.close();
          stdin.pause();
          resolve(answer);
        };
        const onAbort = () => finish(null);
        signal.addEventListener('abort', onAbort, { once: true });
        lines.once('line', (line) => finish(line));
        lines.once('close', () => finish(null));
      });
    },
  };
}
