import { describe, expect, it } from 'vitest';
import { countManifestEntries, MANIFEST_MAX_ENTRIES } from '../../../src/manifest/manifest-entries.js';
import { MANIFEST_MAX_BYTES } from '../../../src/manifest/manifest-size.js';
import { parseManifest } from '../../../src/manifest/parse.js';

// Issue 16, item 11: 5 MiB of tiny shots took seconds just to parse. A manifest with more entries
// than any storyboard needs is refused before the YAML parser builds a node for each one.

describe('countManifestEntries', () => {
  it.each([
    ['block lines', 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n', 4],
    ['blank lines and comments do not count', 'version: 1\n\n# a comment\n   # indented\nshots: []\n', 2],
    ['flow items count once each', 'shots: [{}, {}, {}]\n', 3],
    ['a flow mapping counts its separators', 'shots:\n  - { id: a, mode: b, seed: 1 }\n', 4],
    ['commas in quotes do not count', 'shots: [{ prompt: "a, b, c" }, { prompt: \'d, e\' }]\n', 2],
    ['commas in a plain block value do not count', 'prompt: waves, sand, sky, gulls\n', 1],
    ['escaped quotes stay inside the string', 'a: "x \\" , y"\nb: [1, 2]\n', 3],
    ['a doubled single quote stays inside the string', "a: 'it''s, fine'\n", 1],
    ['a bracket inside a plain value is text', 'prompt: look [left, right]\n', 1],
    ['a comment holds no entries', 'a: 1 # x, y, [z, w]\n', 1],
    ['no final newline', 'version: 1', 1],
  ])('%s', (_name, text, expected) => {
    expect(countManifestEntries(text)).toBe(expected);
  });

  it('stops counting past the limit', () => {
    const text = `shots: [${'{},'.repeat(1000)}]`;
    expect(countManifestEntries(text, 10)).toBe(12);
  });
});

describe('parseManifest and the entry limit', () => {
  it('refuses 5 MiB of empty shots before parsing them', () => {
    const shots = Math.floor((MANIFEST_MAX_BYTES - 32) / 3);
    const text = `version: 1\nshots: [${'{},'.repeat(shots)}]\n`;
    expect(text.length).toBeLessThanOrEqual(MANIFEST_MAX_BYTES);
    const result = parseManifest(text, { file: 'bach.yaml' });
    expect(result).toEqual({
      ok: false,
      diagnostics: [expect.objectContaining({ code: 'manifest-too-large', message: expect.stringContaining('more than 200,000 entries') })],
    });
  });

  it('lets a storyboard at the limit through to the parser', () => {
    const atLimit = `version: 1\nshots:\n${'  - { id: a }\n'.repeat(MANIFEST_MAX_ENTRIES - 2)}`;
    expect(countManifestEntries(atLimit)).toBe(MANIFEST_MAX_ENTRIES);
    expect(countManifestEntries(`${atLimit}  - { id: b }\n`)).toBe(MANIFEST_MAX_ENTRIES + 1);
    expect(parseManifest(`version: 1\nshots:\n${'  - { id: a, mode: text-to-video }\n'.repeat(1000)}`, { file: 'bach.yaml' }).ok).toBe(true);
  });
});
