// Text from a request, made drawable and bounded. A prompt may hold any Unicode (and up to 10,000
// characters): we look at its first few hundred code points only, decompose it (NFKD: "é" → "e" +
// accent, "ﬁ" → "fi", full-width → ASCII), drop accents and invisible format characters, turn
// control characters and every kind of space into one space, spell out a few common letters and
// punctuation NFKD leaves alone ("ß" → "ss", "—" → "-", curly quotes → straight ones), and draw
// whatever the font still lacks as one box per user-perceived character (grapheme), so "👩‍👩‍👧"
// is one box, not five.

import { hasGlyph, UNKNOWN_GLYPH } from './bitmap-font.js';

/** Enough for the few lines a card shows, whatever the prompt's length. */
const MAX_CODE_POINTS = 600;
const ELLIPSIS = '\u2026';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

const SPELLED_OUT: ReadonlyMap<string, string> = new Map(Object.entries({
  ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', þ: 'th', Þ: 'Th',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2022': '\u00b7', '\u00d7': 'x',
}));

/** `text` as a list of characters the font can draw (one code point each), spaces collapsed and trimmed. */
export function toDrawableChars(text: string, maxCodePoints = MAX_CODE_POINTS): string[] {
  // slice() first keeps Array.from's work bounded for very long texts; 2 units per code point at most.
  const head = Array.from(text.slice(0, maxCodePoints * 2)).slice(0, maxCodePoints).join('');
  const out: string[] = [];
  for (const { segment } of graphemes.segment(head.normalize('NFKD'))) {
    const base = segment.replace(/[\p{M}\p{Cf}]/gu, '');
    if (base === '') continue;
    if (/^[\s\p{Cc}]+$/u.test(base)) {
      if (out.length > 0 && out[out.length - 1] !== ' ') out.push(' ');
      continue;
    }
    const chars = Array.from(SPELLED_OUT.get(base) ?? base);
    out.push(...(chars.every(hasGlyph) ? chars : [UNKNOWN_GLYPH]));
  }
  if (out[out.length - 1] === ' ') out.pop();
  return out;
}

/**
 * Greedy word wrap into at most `maxLines` lines of at most `width` characters; a word longer than a
 * line is cut. When text is left over, the last line ends with an ellipsis.
 */
export function wrapChars(chars: readonly string[], width: number, maxLines: number): string[] {
  if (width < 1 || maxLines < 1) return [];
  const lines: string[][] = [];
  let line: string[] = [];
  let index = 0;
  while (index < chars.length && lines.length < maxLines) {
    let end = index;
    while (end < chars.length && chars[end] !== ' ') end++;
    const word = chars.slice(index, end);
    const gap = line.length > 0 ? 1 : 0;
    if (line.length + gap + word.length <= width) {
      if (gap) line.push(' ');
      line.push(...word);
      index = end + 1; // past the space
    } else if (line.length > 0) {
      lines.push(line);
      line = [];
    } else {
      lines.push(word.slice(0, width)); // a word longer than a line
      index += width;
    }
  }
  if (line.length > 0 && lines.length < maxLines) lines.push(line);
  if (index < chars.length && lines.length > 0) {
    const last = lines[lines.length - 1] as string[];
    if (last.length >= width) last.length = width - 1;
    while (last.length > 0 && last[last.length - 1] === ' ') last.pop();
    last.push(ELLIPSIS);
  }
  return lines.map((chars) => chars.join(''));
}
