import type { Row } from '../scenarios/types.js';

// One plain-text table for the terminal and one Markdown table for docs/performance.md, from the
// same rows, so the README shows exactly what the bench printed.

const HEADERS = ['figure', 'value: median (min–max)', 'target', 'ratio', 'verdict'] as const;

function cells(row: Row): string[] {
  return [row.figure, row.value, row.target, row.ratio, row.verdict];
}

export function formatTable(rows: readonly Row[]): string {
  const all = [HEADERS.slice(), ...rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...all.map((line) => [...line[column]!].length)));
  const line = (values: string[]) => values.map((value, column) => value + ' '.repeat(widths[column]! - [...value].length)).join('  ').trimEnd();
  return [line(all[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function formatMarkdownTable(rows: readonly Row[]): string {
  const escape = (value: string) => value.replace(/\|/g, '\\|');
  return [
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`),
  ].join('\n');
}
