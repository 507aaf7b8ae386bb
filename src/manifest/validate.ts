import type { Diagnostic } from '../errors.js';
import type { ManifestInput } from './input-types.generated.js';
import { MAX_DIAGNOSTICS, sortDiagnostics, toDiagnostic, type ManifestProblem } from './diagnostics.js';
import { asRecord } from './loose.js';
import type { ErrorObject, SchemaValidateFunction } from './schema-compile.js';
import { describeSchemaError } from './schema-messages.js';
import { getSchemaValidator } from './schema-validator.js';
import type { Locate } from './source-span.js';

// Stage 2 (pure, given the validator): the plain value against schemas/bach.schema.json. Every
// error is reported (ajv allErrors), reduced so that one mistake reads as one message.
//
// The manifest is validated in pieces — the top level (with its shots and subjects left out), then
// each subject and each shot on its own, inside a minimal manifest — for two reasons:
// - ajv gathers the errors of a `$ref`'d schema with `vErrors = vErrors.concat(refErrors)`, copying
//   every error found so far once per failing shot: 100,000 invalid shots took 53 s. One shot's
//   errors per call keep it linear.
// - Only the first MAX_DIAGNOSTICS problems are described and located; the rest are counted
//   (`omitted`). A refused manifest says what to fix first without building 200,000 messages.
// Pieces never share an instance path, so reducing errors per piece is the same as reducing them all.

export type ValidateResult =
  | { ok: true; input: ManifestInput }
  | { ok: false; diagnostics: Diagnostic[]; /** Problems found beyond those described. */ omitted: number };

export interface ValidateOptions {
  file: string;
  locate: Locate;
  /** The compiled schema; by default the shipped one (see schema-validator.ts). */
  validate?: SchemaValidateFunction;
  /** Problems to describe at most; default MAX_DIAGNOSTICS. */
  maxProblems?: number;
}

export function validateManifest(value: unknown, options: ValidateOptions): ValidateResult {
  const { file, locate } = options;
  if (value === null || value === undefined) {
    return {
      ok: false,
      diagnostics: [{ severity: 'error', code: 'required', message: 'the manifest is empty; it needs `version: 1` and `shots:`', file, line: 1, col: 1 }],
      omitted: 0,
    };
  }
  const validate = options.validate ?? getSchemaValidator().validate;
  const max = options.maxProblems ?? MAX_DIAGNOSTICS;
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  let omitted = 0;
  for (const errors of validateInPieces(value, validate)) {
    for (const error of reduceErrors(errors)) {
      if (problems.length >= max) {
        // Counted, not described: an `if` error is explained by its `then`/`else` error (no message of its own).
        if (error.keyword !== 'if') omitted += 1;
        continue;
      }
      const problem = describeSchemaError(error, value);
      if (!problem) continue;
      const key = `${problem.code}\u0000${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
  }
  if (problems.length === 0 && omitted === 0) return { ok: true, input: value as ManifestInput };
  return { ok: false, diagnostics: sortDiagnostics(problems.map((problem) => toDiagnostic(problem, file, locate))), omitted };
}

/** The errors of each piece of the manifest (see above); paths are those of the whole manifest. */
function* validateInPieces(value: unknown, validate: SchemaValidateFunction): Generator<ErrorObject[]> {
  const manifest = asRecord(value);
  const shots = Array.isArray(manifest?.shots) ? (manifest.shots as unknown[]) : undefined;
  const subjects = asRecord(manifest?.subjects);
  if (!manifest || (!shots && !subjects)) {
    yield run(validate, value);
    return;
  }
  // Copies keep every own key (a `__proto__` key the parser made an ordinary property stays one).
  const top: Record<string, unknown> = { ...manifest };
  if (shots) top.shots = [];
  if (subjects) top.subjects = {};
  yield run(validate, top);
  for (const [key, subject] of Object.entries(subjects ?? {})) {
    yield run(validate, { version: 1, shots: [], subjects: { [key]: subject } });
  }
  for (let index = 0; index < (shots?.length ?? 0); index++) {
    const errors = run(validate, { version: 1, shots: [shots![index]] });
    for (const error of errors) error.instancePath = `/shots/${index}${error.instancePath.slice('/shots/0'.length)}`;
    yield errors;
  }
}

function run(validate: SchemaValidateFunction, data: unknown): ErrorObject[] {
  return validate(data) ? [] : (validate.errors ?? []);
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
