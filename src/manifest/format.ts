import type { Diagnostic } from '../errors.js';
import { createPalette, type Palette } from '../util/palette.js';

// Diagnostics as text: `file:LINE:COL: error[code]: message`, then a short code frame (the two
// lines before, the line itself, a caret under the column) and the hint. Colour only when asked:
// the caller decides (a TTY without NO_COLOR), so output in files and tests stays plain.

export interface FormatOptions {
  color?: boolean;
}

const MAX_SHOWN_LINE = 120;

export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: FormatOptions = {},
): string {
  const paint = createPalette(options.color ?? false);
  const lines = new Map<string, string[]>();
  const linesOf = (file: string) => {
    let found = lines.get(file);
    if (!found) {
      const text = sources.get(file);
      found = text === undefined ? [] : text.split(/\r?\n/);
      lines.set(file, found);
    }
    return found;
  };
  return diagnostics.map((diagnostic) => formatOne(diagnostic, linesOf(diagnostic.file), paint)).join('\n');
}

function formatOne(diagnostic: Diagnostic, lines: string[], paint: Palette): string {
  const where = diagnostic.line === undefined ? diagnostic.file : `${diagnostic.file}:${diagnostic.line}:${diagnostic.col ?? 1}`;
  const severity = diagnostic.severity === 'error' ? paint.red(`error[${diagnostic.code}]`) : paint.yellow(`warning[${diagnostic.code}]`);
  const out = [`${paint.bold(where)}: ${severity}: ${diagnostic.message}`];
  if (diagnostic.line !== undefined && lines.length >= diagnostic.line) out.push(...formatFrame(diagnostic, lines, paint));
  if (diagnostic.hint) out.push(`  ${paint.cyan('hint')}: ${diagnostic.hint}`);
  return `${out.join('\n')}\n`;
}

function formatFrame(diagnostic: Diagnostic, lines: string[], paint: Palette): string[] {
  const line = diagnostic.line!;
  const col = Math.max(1, diagnostic.col ?? 1);
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  const gutter = (n: number | '') => paint.dim(`${String(n).padStart(width)} |`);
  const source = lines[line - 1]!;
  // A long line (a prompt) is shown as a window around the column.
  const start = source.length > MAX_SHOWN_LINE && col > MAX_SHOWN_LINE / 2 ? col - 1 - MAX_SHOWN_LINE / 2 : 0;
  const clip = (text: string) => {
    const shown = text.slice(start, start + MAX_SHOWN_LINE);
    return `${start > 0 ? '...' : ''}${shown}${text.length > start + MAX_SHOWN_LINE ? '...' : ''}`;
  };
  const out: string[] = [];
  for (let n = first; n < line; n++) out.push(`  ${gutter(n)} ${clip(lines[n - 1]!)}`.trimEnd());
  out.push(`${paint.red('>')} ${gutter(line)} ${clip(source)}`.trimEnd());
  const span = diagnostic.endLine === line && diagnostic.endCol !== undefined ? Math.max(1, diagnostic.endCol - col) : 1;
  const caretWidth = Math.max(1, Math.min(span, source.length - col + 1, start + MAX_SHOWN_LINE - (col - 1)));
  // Keep tabs before the column so the caret lines up with what the terminal shows.
  const lead = source.slice(start, col - 1).replace(/[^\t]/g, ' ');
  out.push(`  ${gutter('')} ${start > 0 ? '   ' : ''}${lead}${paint.red('^'.repeat(caretWidth))}`);
  return out;
}
