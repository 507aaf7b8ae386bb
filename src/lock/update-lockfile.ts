import type { LockEntry, Lockfile } from './types.js';

// Pure updates. The executor applies one per finished shot and writes the result at once, so an
// interrupted build never loses (or pays again for) what finished.

export function setLockEntry(lock: Lockfile, shotId: string, entry: LockEntry): Lockfile {
  return { ...lock, shots: { ...lock.shots, [shotId]: entry } };
}

export function removeLockEntries(lock: Lockfile, shotIds: Iterable<string>): Lockfile {
  const shots = { ...lock.shots };
  for (const id of shotIds) delete shots[id];
  return { ...lock, shots };
}
