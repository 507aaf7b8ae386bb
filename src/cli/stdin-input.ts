import type { Input } from '../util/cli-context.js';

// The process's stdin as the commands' `Input` port. A readline interface is opened per question and
// closed after the answer: an open one would keep the process alive (and hold the terminal) after the
// command is done. Ctrl-C while a question waits aborts the command's signal, which answers null.
// Both `stdin` (Node builds process.stdin on first access) and readline are taken only when a question
// is asked: a no-op build, the command run most, never asks one and should not pay for them.

export function createStdinInput(getStdin: () => NodeJS.ReadStream): Input {
  return {
    get isTTY() {
      return Boolean(getStdin().isTTY);
    },
    async readLine(signal) {
      if (signal.aborted) return null;
      const { createInterface } = await import('node:readline');
      if (signal.aborted) return null;
      const stdin = getStdin();
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
