import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/commands/progress-line.js';

// The progress of pull and push: a line per item in logs, one line rewritten in place on a terminal.

function stream(isTTY: boolean, columns?: number) {
  const written: string[] = [];
  return { written, output: { isTTY, columns, write: (text: string) => void written.push(text) } };
}

describe('createProgress', () => {
  it('not a terminal: one plain line per item, and clear writes nothing', () => {
    const { written, output } = stream(false);
    const progress = createProgress(output, 'pull');
    progress.step(1, 2, 'a from the team cache');
    progress.step(2, 2, 'b already present');
    progress.clear();
    expect(written.join('')).toBe('pull 1/2 a from the team cache\npull 2/2 b already present\n');
  });

  it('a terminal: the line is rewritten in place, cut to the width, and cleared before the summary', () => {
    const { written, output } = stream(true, 30);
    const progress = createProgress(output, 'push');
    progress.step(1, 20, 'a-very-long-shot-id-that-does-not-fit pushed');
    expect(written).toEqual(['\r\x1b[2Kpush 1/20 a-very-long-shot-i…']);
    progress.clear();
    progress.clear();
    expect(written.slice(1)).toEqual(['\r\x1b[2K']);
  });
});
