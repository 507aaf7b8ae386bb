// Which cache entries `bach-render clean` may remove (pure; issue 15, item 6). Never one that is paid
// for and still referenced: what bach.lock records, what the current manifest's shots would restore,
// what the journal still follows. Of the rest, the newest `keep` takes of each shot stay (a take
// without a shot id counts as a shot of its own), so undoing a recent edit stays free.

export interface PrunableTake {
  fingerprint: string;
  shotId: string | undefined;
  writtenMs: number;
}

export function chooseCacheToRemove(takes: readonly PrunableTake[], referenced: ReadonlySet<string>, keep: number): string[] {
  const byShot = new Map<string, PrunableTake[]>();
  for (const take of takes) {
    if (referenced.has(take.fingerprint)) continue;
    const key = take.shotId ?? `\u0000${take.fingerprint}`;
    byShot.set(key, [...(byShot.get(key) ?? []), take]);
  }
  const remove: string[] = [];
  for (const group of byShot.values()) {
    const newestFirst = [...group].sort((a, b) => b.writtenMs - a.writtenMs);
    for (const take of newestFirst.slice(keep)) remove.push(take.fingerprint);
  }
  return remove.sort();
}
