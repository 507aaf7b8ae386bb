import { describe, expect, it } from 'vitest';
import { formatAlternatives, suggestSimilar, typoDistance } from '../../../src/util/suggest-similar.js';

const COMMANDS = ['build', 'plan', 'validate', 'watch', 'emulator', 'init', 'completion'];

describe('suggestSimilar', () => {
  it('finds a shot id by its start or a part of it', () => {
    expect(suggestSimilar('open', ['castle', 'opening', 'hero-wakes'])).toEqual(['opening']);
    expect(suggestSimilar('wakes', ['castle', 'opening', 'hero-wakes'])).toEqual(['hero-wakes']);
    expect(suggestSimilar('op', ['opening', 'opera', 'castle'])).toEqual(['opening', 'opera']);
  });

  it('finds a typo, a swap of two letters counting as one edit', () => {
    expect(suggestSimilar('biuld', COMMANDS)).toEqual(['build']);
    expect(suggestSimilar('plna', COMMANDS)).toEqual(['plan']);
    expect(suggestSimilar('emulater', COMMANDS)).toEqual(['emulator']);
    expect(suggestSimilar('openning', ['opening', 'castle'])).toEqual(['opening']);
  });

  it('suggests nothing for a word close to no name', () => {
    expect(suggestSimilar('status', COMMANDS)).toEqual([]);
    expect(suggestSimilar('examples', COMMANDS)).toEqual([]);
    expect(suggestSimilar('x', ['opening'])).toEqual([]);
  });

  it('ranks a different case, then a prefix, then a substring, then typos by distance', () => {
    expect(suggestSimilar('Hero', ['the-hero', 'heron', 'hero2x', 'HERO', 'hera'])).toEqual(['HERO', 'heron', 'hero2x']);
    expect(suggestSimilar('hero', ['xhero', 'hera'], { max: 5 })).toEqual(['xhero', 'hera']);
  });

  it('formats alternatives for a message', () => {
    expect(formatAlternatives(['a'])).toBe('"a"');
    expect(formatAlternatives(['a', 'b', 'c'])).toBe('"a", "b" or "c"');
  });

  it('measures edits with swaps, and stops early past a limit', () => {
    expect(typoDistance('biuld', 'build')).toBe(1);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
    expect(typoDistance('a', 'abcdefgh', 2)).toBe(3);
  });
});
