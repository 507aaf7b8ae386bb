import type { CliContext } from '../util/cli-context.js';
import type { Diagnostic } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { createDiagnosticAnnotations, createFileNamer, createPlanAnnotations, formatAnnotations } from './github-annotations.js';

// `--reporter github`: the annotations of github-annotations.ts written on stdout, after the
// command's usual output. Loaded only when that reporter is asked for.

export function writeDiagnosticAnnotations(diagnostics: readonly Diagnostic[], context: CliContext): void {
  context.stdout.write(formatAnnotations(createDiagnosticAnnotations(diagnostics, createFileNamer(context.cwd, context.env))));
}

/** The manifest's warnings first (they are about lines the author can fix), then the plan. */
export function writePlanAnnotations(plan: Plan, manifestFile: string, warnings: readonly Diagnostic[], context: CliContext): void {
  const fileFor = createFileNamer(context.cwd, context.env);
  context.stdout.write(formatAnnotations([...createDiagnosticAnnotations(warnings, fileFor), ...createPlanAnnotations(plan, manifestFile, fileFor)]));
}
