import type { Diagnostic } from '../errors.js';
import { capDiagnostics, sortDiagnostics, toDiagnostic } from './diagnostics.js';
import type { FileFacts, OutputFacts } from './file-facts.js';
import type { FileReference, FileUse } from './file-refs.js';
import type { ManifestInput } from './input-types.generated.js';
import { resolveManifest } from './resolve.js';
import { checkRules, type GuardedSecret } from './rules.js';
import type { Locate } from './source-span.js';
import type { Manifest } from './types.js';

// The second half of the pure pipeline: file facts → rules → resolve. Kept apart from the first
// half (pipeline.ts) so that a load answered from the manifest cache never imports yaml or the
// schema validator.

export type ManifestResult =
  | { ok: true; manifest: Manifest; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export interface PreparedManifest {
  /** The parsed value; a ManifestInput when `schemaDiagnostics` is empty. */
  value: unknown;
  schemaDiagnostics: Diagnostic[];
  /** Schema problems found beyond those in schemaDiagnostics (see validate.ts); 0 when absent. */
  schemaOmitted?: number;
  locate: Locate;
  warnings: Diagnostic[];
  references: FileReference[];
  /** Local files to gather facts about: root-relative POSIX path → what it is used as. */
  files: Map<string, Set<FileUse>>;
  /** The output folder, root-relative, when it is a local path at all (checked by the rules). */
  output: string | undefined;
}

export interface CompleteOptions {
  /** The manifest as the user named it: what diagnostics show. */
  file: string;
  /** Absolute path of the manifest file and of its folder. */
  absFile: string;
  root: string;
  facts: (path: string) => FileFacts;
  outputFacts: OutputFacts;
  /** Keys no prompt may contain (see rules.ts, checkSecrets); passed in by the shell. */
  secrets?: readonly GuardedSecret[] | undefined;
}

export function completeManifest(prepared: PreparedManifest, options: CompleteOptions): ManifestResult {
  const { value, locate, references } = prepared;
  const problems = checkRules({ manifest: value, references, facts: options.facts, outputFacts: options.outputFacts, locate, secrets: options.secrets ?? [] });
  const ruleDiagnostics = problems.map((problem) => ({ ...toDiagnostic(problem, options.file, locate), severity: problem.severity }));
  const diagnostics = [...prepared.schemaDiagnostics, ...ruleDiagnostics, ...prepared.warnings];
  const omitted = prepared.schemaOmitted ?? 0;
  if (omitted > 0 || diagnostics.some((d) => d.severity === 'error')) {
    return { ok: false, diagnostics: capDiagnostics(sortDiagnostics(diagnostics), options.file, omitted) };
  }
  const input = value as ManifestInput;
  return { ok: true, manifest: resolveManifest(input, { file: options.absFile, root: options.root, locate }), warnings: capDiagnostics(sortDiagnostics(diagnostics), options.file) };
}
