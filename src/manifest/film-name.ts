import { basename } from 'node:path';

// The film's default name when the manifest sets none: the manifest folder's name, made into a file
// name the schema would accept for `name:` (letters, digits, space, `.`, `_`, `-`; at most 100
// characters; starting and ending with a letter or digit). Anything else becomes `-`; a folder name
// with nothing usable left gives `film`. When the result is also a shot's id (case-insensitively, as
// `rules.ts` checks a written name) `-film` is appended, so the film never overwrites a shot's video.

const MAX_CHARS = 100;

export function defaultFilmName(root: string, shotIds: readonly string[]): string {
  const cleaned = basename(root)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9 ._-]+/g, '-')
    .slice(0, MAX_CHARS)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  const name = cleaned === '' ? 'film' : cleaned;
  const ids = new Set(shotIds.map((id) => id.toLowerCase()));
  return ids.has(name.toLowerCase()) ? `${name.slice(0, MAX_CHARS - 5)}-film` : name;
}
