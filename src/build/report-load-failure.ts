import type { CliContext } from '../cli/context.js';
import type { Diagnostic } from '../errors.js';
import type { LoadResult } from '../manifest/load.js';
import { countErrors } from '../manifest/diagnostics.js';
import { formatDiagnostics } from '../manifest/format.js';
import { shouldUseColor } from '../report/colors.js';

// A manifest that does not load: every problem, as file:line:col with a code frame, on stderr —
// or as one JSON line on stdout for `--reporter json`. Nothing is sent, nothing is written.

export function reportDiagnostics(result: LoadResult, context: CliContext, json = false): void {
  const diagnostics: readonly Diagnostic[] = result.ok ? result.warnings : result.diagnostics;
  if (diagnostics.length === 0) return;
  if (json) {
    context.stdout.write(`${JSON.stringify({ type: 'diagnostics', diagnostics })}\n`);
    return;
  }
  const sources = new Map<string, string>();
  if (result.source) sources.set(result.source.file, result.source.text);
  context.stderr.write(formatDiagnostics(diagnostics, sources, { color: shouldUseColor(context.stderr.isTTY, context.env) }));
  if (!result.ok) {
    const errors = countErrors(diagnostics);
    context.stderr.write(`\n${errors} problem${errors === 1 ? '' : 's'} found; nothing was built.\n`);
  }
}
