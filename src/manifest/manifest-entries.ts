import type { Diagnostic } from '../errors.js';

// The second size limit of the manifest, checked before parsing: how many entries it holds. Bytes
// alone do not bound the work: yaml builds a document node for every entry at about 7 µs each on a
// 2-core machine, so 5 MiB of `{},` (1.7 million empty shots) took over 10 s just to parse before a
// single problem could be reported. A storyboard is far smaller than that — 10,000 shots written one
// per line are about 10,000 entries, or 80,000 written one field per line — so a manifest with more
// than MANIFEST_MAX_ENTRIES is refused at once, in one linear pass over its characters.
//
// An entry is a line with content (not blank, not only a comment) or an item separator `,` inside a
// flow collection (`[…]`, `{…}`); text in quotes and comments is skipped. It is an estimate of the
// node count made without parsing — generous to prose (commas in a plain block value do not count) —
// and it stops counting at the limit.

export const MANIFEST_MAX_ENTRIES = 200_000;

/** The entries in `text`, counted up to `limit + 1` (past the limit the exact number is not needed). */
export function countManifestEntries(text: string, limit = MANIFEST_MAX_ENTRIES): number {
  let count = 0;
  let depth = 0;
  let quote: '' | "'" | '"' = '';
  let lineHasContent = false;
  let inComment = false;
  for (let i = 0; i < text.length && count <= limit; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (lineHasContent) count += 1;
      lineHasContent = false;
      inComment = false;
      continue;
    }
    if (inComment) continue;
    if (quote) {
      if (quote === '"' && ch === '\\') i += 1;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') continue;
    const atTokenStart = isTokenStart(text, i);
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      inComment = true;
      continue;
    }
    lineHasContent = true;
    if ((ch === '"' || ch === "'") && atTokenStart) quote = ch;
    else if ((ch === '[' || ch === '{') && (atTokenStart || depth > 0)) depth += 1;
    else if ((ch === ']' || ch === '}') && depth > 0) depth -= 1;
    else if (ch === ',' && depth > 0) count += 1;
  }
  return lineHasContent ? count + 1 : count;
}

export function manifestTooManyEntries(file: string): Diagnostic {
  return {
    severity: 'error',
    code: 'manifest-too-large',
    message: `the manifest holds more than ${MANIFEST_MAX_ENTRIES.toLocaleString('en')} entries (lines and list items); bach-render reads storyboards of at most that many`,
    file,
    hint: 'Split the storyboard into several manifests (each in its own folder).',
  };
}

/** Where a quote or a flow collection may begin: after a line start, whitespace, `[`, `{`, `,`, `:` or `-`. */
function isTokenStart(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const before = text[j]!;
    if (before === ' ' || before === '\t') continue;
    return before === '\n' || before === '[' || before === '{' || before === ',' || before === ':' || before === '-' || before === '?';
  }
  return true;
}
