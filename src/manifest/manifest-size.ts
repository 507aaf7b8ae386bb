import type { Diagnostic } from '../errors.js';

// The one size limit of the manifest itself, checked before reading (load.ts) and before parsing
// (parse.ts, for text that did not come from a file).

/** Larger manifests are refused before parsing: yaml parses about 1.5 MB/s, and no storyboard needs more. */
export const MANIFEST_MAX_BYTES = 5 * 1024 * 1024;

export function manifestTooLarge(file: string, size: number): Diagnostic {
  return {
    severity: 'error',
    code: 'manifest-too-large',
    message: `the manifest is ${formatMiB(size)}; bach-render reads manifests of at most ${formatMiB(MANIFEST_MAX_BYTES)}`,
    file,
    hint: 'Split the storyboard, or move long prompts into prompt_file files.',
  };
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
