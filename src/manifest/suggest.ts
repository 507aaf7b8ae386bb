// "did you mean …?" for mistyped keys and values, and how a value is shown in a message.

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function suggestClosest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance with two rows; inputs are short keys and enum values. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A value as the user wrote it, short: `"4k"`, `30`, `true`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** `24`, `720p or 1080p`, `1-5`, `16:9, 9:16 or 1:1`. */
export function describeChoices(values: readonly unknown[]): string {
  const numbers = values.every((value) => typeof value === 'number');
  if (numbers && values.length > 2) {
    const sorted = [...(values as number[])].sort((a, b) => a - b);
    if (sorted.every((value, i) => i === 0 || value === sorted[i - 1]! + 1)) return `${sorted[0]}-${sorted[sorted.length - 1]}`;
  }
  const shown = values.map((value) => String(value));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}
