import { describe, expect, it } from 'vitest';
import { GLYPH_HEIGHT, GLYPH_WIDTH, hasGlyph, readGlyph, UNKNOWN_GLYPH } from '../../../src/video/bitmap-font.js';
import { toDrawableChars, wrapChars } from '../../../src/video/card-text.js';
import { formatTimecode } from '../../../src/video/timecode.js';

const BOX = UNKNOWN_GLYPH;
const text = (input: string) => toDrawableChars(input).join('');

describe('the bitmap font', () => {
  it('has a glyph for every printable ASCII character, each within 5x9 and drawn (but the space)', () => {
    for (let code = 0x20; code <= 0x7e; code++) {
      const char = String.fromCharCode(code);
      expect(hasGlyph(char), char).toBe(true);
      const glyph = readGlyph(char);
      expect(glyph.length).toBe(GLYPH_HEIGHT);
      expect(glyph.every((row) => row < 1 << GLYPH_WIDTH)).toBe(true);
      expect(glyph.some((row) => row !== 0), char).toBe(char !== ' ');
    }
  });

  it('draws distinct glyphs for the characters a timecode and a seed use', () => {
    const shapes = [...'0123456789:'].map((char) => Array.from(readGlyph(char)).join(','));
    expect(new Set(shapes).size).toBe(11);
  });

  it('draws a box for anything it lacks', () => {
    expect(hasGlyph('é')).toBe(false);
    expect(readGlyph('é')).toEqual(readGlyph(BOX));
    expect(Array.from(readGlyph(BOX))).toEqual([31, 17, 17, 17, 17, 17, 31, 0, 0]);
  });
});

describe('toDrawableChars', () => {
  it('keeps ASCII as it is, markup included (a picture runs nothing)', () => {
    expect(text('A sunset <script>alert(1)</script> & "quotes"')).toBe('A sunset <script>alert(1)</script> & "quotes"');
  });

  it('drops accents and spells out what NFKD leaves alone', () => {
    expect(text('Café crème, naïve façade — Straße ﬁsh “quoted” ＡＢＣ')).toBe('Cafe creme, naive facade - Strasse fish "quoted" ABC');
  });

  it('draws one box per user-perceived character the font lacks', () => {
    expect(text('🎬 日本 👩‍👩‍👧 🇫🇷!')).toBe(`${BOX} ${BOX}${BOX} ${BOX} ${BOX}!`);
  });

  it('turns line breaks, tabs, control characters and runs of spaces into single spaces, and trims', () => {
    expect(text('  one\n\ttwo\u0000\u0007three\u00a0\u2003four \r\n ')).toBe('one two three four');
    expect(text('zero\u200bwidth\u2060joiners')).toBe('zerowidthjoiners');
    expect(text('')).toBe('');
  });

  it('looks only at the start of a very long text', () => {
    const chars = toDrawableChars('word '.repeat(5000), 600);
    expect(chars.length).toBeLessThanOrEqual(600);
    expect(toDrawableChars('😀'.repeat(10_000), 100)).toHaveLength(100);
  });

  it('draws a lone surrogate as a box', () => {
    expect(text('a\ud800b')).toBe(`a${BOX}b`);
  });
});

describe('wrapChars', () => {
  const wrap = (input: string, width: number, lines: number) => wrapChars(Array.from(input), width, lines);

  it('wraps at spaces', () => {
    expect(wrap('a sunset over the ocean', 10, 3)).toEqual(['a sunset', 'over the', 'ocean']);
  });

  it('cuts a word longer than a line', () => {
    expect(wrap('abcdefghijkl mn', 5, 4)).toEqual(['abcde', 'fghij', 'kl mn']);
  });

  it('ends the last line with an ellipsis when text is left over', () => {
    expect(wrap('a sunset over the ocean', 10, 2)).toEqual(['a sunset', 'over the\u2026']);
    expect(wrap('abcdefghijklmnop', 5, 2)).toEqual(['abcde', 'fghi\u2026']);
  });

  it('gives nothing when there is no room', () => {
    expect(wrap('abc', 0, 2)).toEqual([]);
    expect(wrap('abc', 3, 0)).toEqual([]);
    expect(wrap('', 3, 2)).toEqual([]);
  });
});

describe('formatTimecode', () => {
  it('counts HH:MM:SS:FF', () => {
    expect(formatTimecode(0, 24)).toBe('00:00:00:00');
    expect(formatTimecode(84, 24)).toBe('00:00:03:12');
    expect(formatTimecode(143, 24)).toBe('00:00:05:23');
    expect(formatTimecode(24 * 3725 + 5, 24)).toBe('01:02:05:05');
  });

  it('gives frame rates above 100 enough frame digits', () => {
    expect(formatTimecode(119, 120)).toBe('00:00:00:119');
    expect(formatTimecode(59, 60)).toBe('00:00:00:59');
  });
});
