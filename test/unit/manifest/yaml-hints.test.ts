import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/manifest/format.js';
import { parseManifest } from '../../../src/manifest/parse.js';

// The common YAML mistakes are reported where they start, in plain words, with the fix as a hint.

function problems(text: string) {
  const result = parseManifest(text, { file: 'bach.yaml' });
  if (result.ok) throw new Error('expected a syntax error');
  return result.diagnostics;
}

const HEAD = 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n';

describe('YAML syntax errors', () => {
  it('points an unclosed quote at its opening quote, not at the end of the file', () => {
    const text = `${HEAD}    prompt: "A sunset over\n    seed: 4\n  - id: b\n    mode: text-to-video\n    prompt: hi\n`;
    const [only, ...rest] = problems(text);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ code: 'yaml-syntax', line: 5, col: 13, endLine: 5, endCol: 14 });
    expect(only!.message).toBe('unclosed quote: the " that starts this value is never closed');
    expect(only!.hint).toMatch(/^Close the quote at the end of the value/);
    // A code frame, not an empty one past the last line.
    expect(formatDiagnostics([only!], new Map([['bach.yaml', text]]))).toContain('> 5 |     prompt: "A sunset over\n    |             ^\n');
  });

  it('points an unclosed single quote at its opening quote too', () => {
    const [only] = problems(`${HEAD}    prompt: 'A sunset over\n    seed: 4\n`);
    expect(only).toMatchObject({ line: 5, col: 13 });
    expect(only!.hint).toContain("write it twice ('')");
  });

  it('explains a colon inside an unquoted value and shows the value quoted', () => {
    const [only] = problems(`${HEAD}    prompt: Title: a sunset # the opening\n    seed: 4\n`);
    expect(only).toMatchObject({ line: 5, col: 13, endCol: 19 });
    expect(only!.message).toContain('a value with a colon in it must be quoted');
    expect(only!.hint).toBe('Quote the whole value: `prompt: "Title: a sunset"`');
  });

  it('explains a missing colon on the line that lacks it', () => {
    const [middle] = problems(`${HEAD}    seed 4\n    prompt: hi\n`);
    expect(middle).toMatchObject({ line: 5, col: 5, endCol: 9 });
    expect(middle!.message).toBe('"seed" is not followed by a colon: each line of a mapping is "key: value"');
    expect(middle!.hint).toBe('Write it as `seed: 4`');
    const [last] = problems(`${HEAD}    prompt hi\n`);
    expect(last).toMatchObject({ line: 5, col: 5 });
    expect(last!.hint).toBe('Write it as `prompt: hi`');
    const [bare] = problems('version: 1\nshots\n  - id: a\n');
    expect(bare).toMatchObject({ line: 2, col: 1 });
    expect(bare!.hint).toBe('Write it as `shots:`');
  });

  it('keeps yaml\'s own words for other mistakes', () => {
    const [only] = problems(`${HEAD}    prompt: "hi" there\n`);
    expect(only).toMatchObject({ line: 5, message: 'Unexpected scalar at node end' });
    expect(only!.hint).toBeUndefined();
  });
});
