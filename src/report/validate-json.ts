import { countErrors } from '../manifest/diagnostics.js';
import type { Diagnostic } from '../errors.js';

// The machine-readable result of `bach-render validate --json`, documented in README ("Validate
// JSON"). Stable: fields are only ever added; a breaking change bumps validateVersion. Every
// diagnostic has every key (null when it does not apply), so consumers need no existence checks.

export interface ValidateJson {
  validateVersion: 1;
  /** The manifest as the user named it (or as found in a parent folder). */
  manifest: string;
  valid: boolean;
  errors: number;
  warnings: number;
  diagnostics: DiagnosticJson[];
  /** What a valid manifest holds; null when it is not valid. */
  summary: ValidateSummary | null;
}

export interface ValidateSummary {
  shots: number;
  localImages: number;
  /** Seconds of video the whole storyboard renders. */
  seconds: number;
}

export interface DiagnosticJson {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  file: string;
  line: number | null;
  col: number | null;
  endLine: number | null;
  endCol: number | null;
  hint: string | null;
}

export function createValidateJson(manifest: string, diagnostics: readonly Diagnostic[], summary: ValidateSummary | null): ValidateJson {
  const errors = countErrors(diagnostics);
  return {
    validateVersion: 1,
    manifest,
    valid: errors === 0 && summary !== null,
    errors,
    warnings: diagnostics.length - errors,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      file: d.file,
      line: d.line ?? null,
      col: d.col ?? null,
      endLine: d.endLine ?? null,
      endCol: d.endCol ?? null,
      hint: d.hint ?? null,
    })),
    summary,
  };
}
