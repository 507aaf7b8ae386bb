import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/errors.js';
import { formatDiagnostics } from '../../../src/manifest/format.js';

const text = 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n    duration: 5\n';
const sources = new Map([['bach.yaml', text]]);
const at = (line: number, col: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  code: 'enum',
  message: 'shots[0].duration: text-to-video needs duration 6, got 5',
  file: 'bach.yaml',
  line,
  col,
  ...extra,
});

describe('formatDiagnostics', () => {
  it('prints file:line:col, the code, the message and a frame with two lines of context', () => {
    expect(formatDiagnostics([at(5, 15, { endLine: 5, endCol: 16 })], sources)).toMatchInlineSnapshot(`
      "bach.yaml:5:15: error[enum]: shots[0].duration: text-to-video needs duration 6, got 5
        3 |   - id: a
        4 |     mode: text-to-video
      > 5 |     duration: 5
          |               ^
      "
    `);
  });

  it('underlines a one-line span and prints the hint', () => {
    expect(formatDiagnostics([at(4, 11, { endLine: 4, endCol: 24, hint: 'Check the mode.', severity: 'warning', code: 'x' })], sources)).toMatchInlineSnapshot(`
      "bach.yaml:4:11: warning[x]: shots[0].duration: text-to-video needs duration 6, got 5
        2 | shots:
        3 |   - id: a
      > 4 |     mode: text-to-video
          |           ^^^^^^^^^^^^^
        hint: Check the mode.
      "
    `);
  });

  it('prints a problem without a position on one line', () => {
    expect(formatDiagnostics([{ severity: 'error', code: 'manifest-missing', message: 'no manifest at /x/bach.yaml', file: 'bach.yaml' }], sources)).toBe(
      'bach.yaml: error[manifest-missing]: no manifest at /x/bach.yaml\n',
    );
  });

  it('shows a window of a long line around the column', () => {
    const long = `prompt: ${'x'.repeat(300)}!${'y'.repeat(300)}`;
    const output = formatDiagnostics([at(1, 309)], new Map([['bach.yaml', long]]));
    const [, frameLine, caretLine] = output.split('\n');
    expect(frameLine!.length).toBeLessThan(140);
    expect(frameLine).toContain('...');
    expect(caretLine!.indexOf('^')).toBe(frameLine!.indexOf('!'));
  });

  it('keeps tabs before the caret so it lines up', () => {
    const output = formatDiagnostics([at(1, 4)], new Map([['bach.yaml', 'a:\t\tb']]));
    expect(output.split('\n')[2]).toBe('    |   \t^');
  });

  it('colours only when asked', () => {
    expect(formatDiagnostics([at(5, 15)], sources)).not.toContain('\u001b[');
    expect(formatDiagnostics([at(5, 15)], sources, { color: true })).toContain('\u001b[31merror[enum]\u001b[39m');
  });
});
