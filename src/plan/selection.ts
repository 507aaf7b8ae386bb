import { UsageError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { formatAlternatives, suggestSimilar } from '../util/suggest-similar.js';

// `--only a,b --only c` → {a, b, c}; an id the manifest does not have is a usage error that suggests
// the nearest ids (by prefix, substring or typo: `--only open` → "opening"), because a typo here
// would silently build nothing (or everything).

export function parseIdList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((id) => id.trim()).filter(Boolean);
}

export function resolveSelection(manifest: Manifest, flag: '--only' | '--force' | 'show', values: readonly string[] | undefined): Set<string> | undefined {
  const ids = parseIdList(values);
  if (ids.length === 0) return undefined;
  const known = new Set(manifest.shots.map((shot) => shot.id));
  for (const id of ids) {
    if (!known.has(id)) {
      const near = suggestSimilar(id, known);
      throw new UsageError(`${flag} ${id}: no shot with this id in the manifest${near.length > 0 ? ` (did you mean ${formatAlternatives(near)}?)` : ''}`);
    }
  }
  return new Set(ids);
}
