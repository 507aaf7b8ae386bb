import { UsageError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';

// `--only a,b --only c` → {a, b, c}; an id the manifest does not have is a usage error that suggests
// the nearest id, because a typo here would silently build nothing (or everything).

export function parseIdList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((id) => id.trim()).filter(Boolean);
}

export function resolveSelection(manifest: Manifest, flag: '--only' | '--force', values: readonly string[] | undefined): Set<string> | undefined {
  const ids = parseIdList(values);
  if (ids.length === 0) return undefined;
  const known = manifest.shots.map((shot) => shot.id);
  for (const id of ids) {
    if (!known.includes(id)) {
      const near = nearest(id, known);
      throw new UsageError(`${flag} ${id}: no shot with this id in the manifest${near ? ` (did you mean "${near}"?)` : ''}`);
    }
  }
  return new Set(ids);
}

function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
