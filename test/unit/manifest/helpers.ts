import { stringify } from 'yaml';
import type { Diagnostic } from '../../../src/errors.js';
import { loadManifestFromText, type FromTextOptions } from '../../../src/manifest/from-text.js';
import type { ManifestResult } from '../../../src/manifest/complete.js';

// Builders for manifest tests: a valid manifest as a plain object, changed per case, written as YAML.

export type Fields = Record<string, unknown>;

export const SHOTS: Record<string, Fields> = {
  t2v: { id: 'shot', mode: 'text-to-video', prompt: 'A sunset over the ocean' },
  i2v: { id: 'shot', mode: 'image-to-video', image: 'frames/a.png' },
  multi: { id: 'shot', mode: 'multi-image-to-video', prompt: 'The hero walks', images: ['frames/a.png'] },
};

export function manifestWith(top: Fields = {}, shots: Fields[] = [SHOTS.t2v!]): Fields {
  return { version: 1, ...top, shots };
}

/** Sets a field; `undefined` removes it. */
export function withField(base: Fields, key: string, value: unknown): Fields {
  const copy = { ...base };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

export function load(manifest: Fields | string, options: FromTextOptions = {}): ManifestResult {
  return loadManifestFromText(typeof manifest === 'string' ? manifest : stringify(manifest, { lineWidth: 0 }), options);
}

/** The codes of every error (sorted), [] when the manifest is valid. */
export function errorCodes(result: ManifestResult): string[] {
  return result.ok ? [] : result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort();
}

export function messages(result: ManifestResult): string[] {
  return result.ok ? [] : result.diagnostics.map((d: Diagnostic) => `${d.line ?? 0}:${d.col ?? 0} ${d.code}: ${d.message}`);
}
