// "Did you mean …?" for a name the user typed that does not exist: a command, a shot id, a file.
// One ranking for all of them, so the CLI answers the same way everywhere:
//   1. the same name in another case,
//   2. a name that starts with what was typed (`open` → `opening`; two characters at least),
//   3. a name that contains it (`wakes` → `hero-wakes`; three characters at least),
//   4. a likely typo: few edits away, a swap of two neighbours counting as one (`biuld` → `build`),
//      at most one edit per three characters typed (and at least one).
// Within a rank, fewer edits first, then the order the candidates were given in.

export interface SuggestOptions {
  /** How many names to return at most. Default 3. */
  max?: number;
}

export function suggestSimilar(word: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  const typed = word.toLowerCase();
  const allowed = Math.max(1, Math.floor(word.length / 3));
  const scored: { name: string; rank: number; order: number }[] = [];
  let order = 0;
  for (const name of candidates) {
    const candidate = name.toLowerCase();
    order += 1;
    if (name === word) continue;
    let rank: number | undefined;
    if (candidate === typed) rank = 0;
    else if (typed.length >= 2 && candidate.startsWith(typed)) rank = 1;
    else if (typed.length >= 3 && candidate.includes(typed)) rank = 2;
    else {
      const distance = typoDistance(typed, candidate, allowed);
      if (distance <= allowed) rank = 3 + distance;
    }
    if (rank !== undefined) scored.push({ name, rank, order });
  }
  scored.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return scored.slice(0, options.max ?? 3).map((entry) => entry.name);
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`: the tail of a did-you-mean message. */
export function formatAlternatives(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/**
 * Edits (insert, delete, replace, swap of neighbours) from `a` to `b` — the optimal string alignment
 * distance. Returns early with `limit + 1` once every alignment costs more than `limit`, so a long
 * list of long names costs little.
 */
export function typoDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
