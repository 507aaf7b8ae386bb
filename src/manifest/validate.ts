import type { Diagnostic } from '../errors.js';
import type { ManifestInput } from './input-types.generated.js';
import { sortDiagnostics, toDiagnostic, type ManifestProblem } from './diagnostics.js';
import type { ErrorObject, SchemaValidateFunction } from './schema-compile.js';
import { describeSchemaError } from './schema-messages.js';
import { getSchemaValidator } from './schema-validator.js';
import type { Locate } from './source-span.js';

// Stage 2 (pure, given the validator): the plain value against schemas/bach.schema.json. Every
// error is reported (ajv allErrors), reduced so that one mistake reads as one message.

export type ValidateResult = { ok: true; input: ManifestInput } | { ok: false; diagnostics: Diagnostic[] };

export interface ValidateOptions {
  file: string;
  locate: Locate;
  /** The compiled schema; by default the shipped one (see schema-validator.ts). */
  validate?: SchemaValidateFunction;
}

export function validateManifest(value: unknown, options: ValidateOptions): ValidateResult {
  const { file, locate } = options;
  if (value === null || value === undefined) {
    return {
      ok: false,
      diagnostics: [{ severity: 'error', code: 'required', message: 'the manifest is empty; it needs `version: 1` and `shots:`', file, line: 1, col: 1 }],
    };
  }
  const validate = options.validate ?? getSchemaValidator().validate;
  if (validate(value)) return { ok: true, input: value as ManifestInput };
  const problems = reduceErrors(validate.errors ?? [])
    .map((error) => describeSchemaError(error, value))
    .filter((problem): problem is ManifestProblem => problem !== undefined);
  return { ok: false, diagnostics: sortDiagnostics(dedupe(problems).map((problem) => toDiagnostic(problem, file, locate))) };
}

function reduceErrors(errors: ErrorObject[]): ErrorObject[] {
  // "prompt or prompt_file": the oneOf error says it once; its two `required` branches would say it twice more.
  const kept = errors.filter((error) => !(error.keyword === 'required' && /\/oneOf\/\d+\/required$/.test(error.schemaPath)));
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of kept) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  return kept.filter((error) => {
    const siblings = byPath.get(error.instancePath)!;
    // A value of the wrong type fails every other keyword too; an enum message lists the choices, so it wins.
    if (error.keyword === 'type') return !siblings.some((other) => other.keyword === 'enum' || other.keyword === 'const');
    if (siblings.some((other) => other.keyword === 'type') && error.keyword !== 'enum' && error.keyword !== 'const') return false;
    return true;
  });
}

function dedupe(problems: ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.code}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
