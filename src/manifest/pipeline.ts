import type { Diagnostic } from '../errors.js';
import type { PreparedManifest } from './complete.js';
import { capDiagnostics } from './diagnostics.js';
import { collectReferences, listReferencedFiles, localOutputFolder } from './file-refs.js';
import { asRecord } from './loose.js';
import { parseManifest } from './parse.js';
import { validateManifest } from './validate.js';

// The pure pipeline in two halves, so that the shell can gather file facts in between:
//   prepareManifest (here):         text → parse → schema  (+ the list of local files to look at)
//   completeManifest (complete.ts): + file facts → rules → resolve → Manifest
// A YAML error stops at the first half (there is no value to check). Schema problems do not: the
// rules run on the same value, so a typo and a missing file are reported together, and only a
// manifest with no error at all is resolved.
// loadManifest (load.ts) reads the disk between the halves; loadManifestFromText (from-text.ts)
// passes facts made up in memory.

export type PrepareResult = { ok: true; prepared: PreparedManifest } | { ok: false; diagnostics: Diagnostic[] };

export function prepareManifest(text: string, options: { file: string }): PrepareResult {
  const parsed = parseManifest(text, options);
  if (!parsed.ok) return parsed;
  const validated = validateManifest(parsed.value, { file: options.file, locate: parsed.locate });
  // Nothing more can be said about a manifest that is not even a mapping.
  if (!validated.ok && asRecord(parsed.value) === undefined) return { ok: false, diagnostics: capDiagnostics(validated.diagnostics, options.file, validated.omitted) };
  const references = collectReferences(parsed.value);
  return {
    ok: true,
    prepared: {
      value: parsed.value,
      schemaDiagnostics: validated.ok ? [] : validated.diagnostics,
      schemaOmitted: validated.ok ? 0 : validated.omitted,
      locate: parsed.locate,
      warnings: parsed.warnings,
      references,
      files: listReferencedFiles(references),
      output: localOutputFolder(parsed.value),
    },
  };
}
