import { describe, expect, it } from 'vitest';
import { defaultFilmName } from '../../../src/manifest/film-name.js';
import { load, manifestWith } from './helpers.js';

// The film's name: written, or derived from the manifest folder's name into something the schema
// would accept, never a shot's id.

describe('the film name', () => {
  it.each([
    ['/work/examples', [], 'examples'],
    ['/work/My Film', [], 'My Film'],
    ['/work/été à Paris', [], 'ete a Paris'],
    ['/work/.hidden', [], 'hidden'],
    ['/work/___', [], 'film'],
    ['/', [], 'film'],
    ['/work/opening', ['opening'], 'opening-film'],
    ['/work/Opening', ['opening'], 'Opening-film'],
    ['/work/a:b*c?', [], 'a-b-c'],
    [`/work/${'x'.repeat(150)}`, [], 'x'.repeat(100)],
  ])('%s (ids %j) → %s', (root, ids, expected) => {
    expect(defaultFilmName(root, ids)).toBe(expected);
  });

  it('is what the manifest says, else the default; cut defaults to false', () => {
    const named = load(manifestWith({ name: 'The Film', cut: true }));
    expect(named.ok && { name: named.manifest.name, cut: named.manifest.cut }).toEqual({ name: 'The Film', cut: true });
    const unnamed = load(manifestWith());
    if (!unnamed.ok) throw new Error('expected a valid manifest');
    expect({ name: unnamed.manifest.name, cut: unnamed.manifest.cut }).toEqual({ name: defaultFilmName(unnamed.manifest.root, ['shot']), cut: false });
  });
});
