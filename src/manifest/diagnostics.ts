import type { Diagnostic } from '../errors.js';
import type { Locate, PathSegment } from './source-span.js';

// A problem found by a stage (a path in the manifest) becomes a Diagnostic (a place in the file).
// A manifest with very many problems is reported by its first MAX_DIAGNOSTICS, then one closing
// diagnostic that says how many more there are (capDiagnostics): thousands of messages help nobody,
// and building them cost more than the whole load.

/** Problems listed at most; the rest are counted. */
export const MAX_DIAGNOSTICS = 200;

/** The code of the diagnostic that closes a capped list. */
export const MORE_PROBLEMS_CODE = 'more-problems';

export interface ManifestProblem {
  code: string;
  /** Where the problem is; `at` says whether to point at the key or the value. */
  path: PathSegment[];
  at: 'key' | 'value';
  message: string;
  hint?: string;
}

export function toDiagnostic(problem: ManifestProblem, file: string, locate: Locate): Diagnostic {
  const span = locate(problem.path, problem.at);
  return {
    severity: 'error',
    code: problem.code,
    message: problem.message,
    file,
    line: span.line,
    col: span.col,
    endLine: span.endLine,
    endCol: span.endCol,
    ...(problem.hint ? { hint: problem.hint } : {}),
  };
}

/** Reading order; ties keep the schema's order. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => (a.diagnostic.line ?? 0) - (b.diagnostic.line ?? 0) || (a.diagnostic.col ?? 0) - (b.diagnostic.col ?? 0) || a.index - b.index)
    .map(({ diagnostic }) => diagnostic);
}

/**
 * The first `max` diagnostics of a sorted list, then — when any were left out, here or by an earlier
 * stage (`alreadyOmitted`) — one diagnostic saying how many, with the count in `omitted`.
 */
export function capDiagnostics(sorted: Diagnostic[], file: string, alreadyOmitted = 0, max = MAX_DIAGNOSTICS): Diagnostic[] {
  const omitted = alreadyOmitted + Math.max(0, sorted.length - max);
  if (omitted === 0) return sorted;
  return [
    ...sorted.slice(0, max),
    {
      // Among warnings only (a valid manifest), the note is a warning too.
      severity: alreadyOmitted > 0 || sorted.some((d) => d.severity === 'error') ? 'error' : 'warning',
      code: MORE_PROBLEMS_CODE,
      message: `${omitted.toLocaleString('en-US')} more problem${omitted === 1 ? '' : 's'} not shown; fix the ones above first`,
      file,
      omitted,
    },
  ];
}

/** How many errors a list reports: those listed (the closing note aside) and those it says it left out. */
export function countErrors(diagnostics: readonly Diagnostic[]): number {
  let count = 0;
  for (const d of diagnostics) {
    if (d.code === MORE_PROBLEMS_CODE) count += d.omitted ?? 0;
    else if (d.severity === 'error') count += 1;
  }
  return count;
}
