// A changed text value, old and new, short enough for one plan line: a long prompt is cut down to
// the words that changed plus one word of context on each side, `…` marking what was left out:
//   "A sunset over the ocean, waves crashing" → "A sunset over the ocean, waves breaking"
//   becomes  "…waves crashing" → "…waves breaking"
// Values of at most WHOLE characters are shown whole. The changed words themselves are cut after
// MAX_CHANGED characters (a prompt rewritten from scratch shows its first words). Each value is
// quoted as JSON, so quotes and line breaks inside it stay visible and unambiguous.

const WHOLE = 30;
const MAX_CHANGED = 60;

export function describeTextChange(before: string, after: string): [string, string] {
  if (before.length <= WHOLE && after.length <= WHOLE) return [quote(before, 0, before.length), quote(after, 0, after.length)];
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  // The same prefix in both, so the same start in both: the word the change begins in, and one before it.
  const start = wordBefore(before, wordStart(before, prefix));
  return [window(before, start, before.length - suffix), window(after, start, after.length - suffix)];
}

function window(text: string, start: number, changeEnd: number): string {
  const changedTo = wordEnd(text, Math.max(changeEnd, start));
  if (changedTo - start > MAX_CHANGED) return quote(text, start, wordEnd(text, start + MAX_CHANGED));
  return quote(text, start, wordAfter(text, changedTo));
}

function quote(text: string, start: number, end: number): string {
  const cut = Math.min(end, text.length);
  return JSON.stringify(`${start > 0 ? '…' : ''}${text.slice(start, cut)}${cut < text.length ? '…' : ''}`);
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** The start of the word holding `at` (or `at` itself, at a word's start). */
function wordStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && !isSpace(text[i - 1])) i--;
  return i;
}

/** The start of the word before the one starting at `at`. */
function wordBefore(text: string, at: number): number {
  let i = at;
  while (i > 0 && isSpace(text[i - 1])) i--;
  return wordStart(text, i);
}

/** The end of the word holding `at`. */
function wordEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && !isSpace(text[i])) i++;
  return i;
}

/** The end of the word after the one ending at `at`. */
function wordAfter(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text[i])) i++;
  return wordEnd(text, i);
}
