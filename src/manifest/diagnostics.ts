import type { Diagnostic } from '../errors.js';
import type { Locate, PathSegment } from './source-span.js';

// A problem found by a stage (a path in the manifest) becomes a Diagnostic (a place in the file).

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
