import { countErrors } from '../manifest/diagnostics.js';
import { dirname, join } from 'node:path';
import { checkTrackedEnv } from '../project/tracked-env.js';
import type { CliContext } from '../util/cli-context.js';
import type { Diagnostic } from '../errors.js';
import type { LoadResult } from '../manifest/load.js';
import { formatDiagnostics } from '../manifest/format.js';
import { shouldUseColor } from '../util/palette.js';

// A manifest that does not load: every problem, as file:line:col with a code frame, on stderr —
// or as one JSON line on stdout for `--reporter json`. Nothing is sent, nothing is written.
// Also the project-level warning a full plan or build gives: a `.env` that git tracks.

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

/**
 * The warning for a `.env` beside the manifest that git tracks (project/tracked-env.ts), on stderr;
 * returned as well, for annotations. Full plans and builds only, never the no-op fast path.
 */
export async function reportTrackedEnv(root: string, manifestLabel: string, context: CliContext): Promise<Diagnostic[]> {
  const tracked = await findTrackedEnv(root, manifestLabel, context);
  if (tracked.length > 0) context.stderr.write(formatDiagnostics(tracked, new Map(), { color: shouldUseColor(context.stderr.isTTY, context.env) }));
  return tracked;
}

/** The same check, for a caller that reports through its own reporter (the build). */
export async function findTrackedEnv(root: string, manifestLabel: string, context: CliContext): Promise<Diagnostic[]> {
  const tracked = await checkTrackedEnv(root, join(dirname(manifestLabel), '.env'), context.env);
  return tracked ? [tracked] : [];
}
