import type { Output } from '../util/cli-context.js';

// Progress of `pull` and `push` on stderr: on a terminal one line rewritten in place ("pull 3/20 …");
// elsewhere (CI logs, pipes) one plain line per item, so a log shows what happened to each.

export interface Progress {
  step(done: number, total: number, text: string): void;
  /** Removes the line on a terminal before something else is printed. */
  clear(): void;
}

export function createProgress(stream: Output, label: string): Progress {
  let shown = false;
  return {
    step(done, total, text) {
      const line = `${label} ${done}/${total} ${text}`;
      if (stream.isTTY) {
        const width = Math.max(20, (stream.columns ?? 80) - 1);
        stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
        shown = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
