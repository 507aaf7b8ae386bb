import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { FSWatcher } from 'chokidar';

// chokidar over an explicit list of files (no globs: chokidar 5 does not expand them, and a list we
// compute ourselves is testable). `setFiles` adds and unwatches the difference; every event on a
// listed file — change, add, unlink — is reported as "this path changed", root-relative POSIX.
//
// Rename-and-replace saves (vim writes a temp file and renames it over the original; JetBrains
// writes a temp file, deletes the original and renames): chokidar notices the new inode and watches
// it again, and with `atomic` an unlink followed by an add within 100 ms arrives as one `change` —
// usually. Sometimes (seen on Linux with JetBrains-style saves) it reports `unlink` for a file that is
// already back, and then stops watching it; so after every `unlink` the file is checked, and watched
// again if it is there (or polled for, below, if not). Both ways are covered by e2e tests.
//
// chokidar has no "watching now" signal for files added after the start; `setFiles` waits until
// chokidar lists each new file as watched (it records it right before opening the OS watch), so that
// a save made right after a run — which may have added a reference — is never missed.
//
// Files that do not exist (a manifest referencing a file not created yet; a file deleted) are polled
// with stat every MISSING_POLL_MS until they appear: chokidar's watch for a missing file comes up
// late and not at all inside a missing folder, and creating that file is how the user fixes the
// manifest. A file reported twice (chokidar and the poll) costs nothing: the scheduler merges them.
//
// Our own reads must not look like saves: reading a file updates its atime, and chokidar reports that
// as a change when it missed the second event of a save (it throttles events per file). So an event
// counts only when the file's stamp (inode, size, mtime) differs from the one recorded by `markSeen`,
// which the session calls at the start of every run, before the run reads anything.

export interface FileWatcher {
  /** Watch exactly these root-relative paths; resolves when the new ones are watched. */
  setFiles(paths: readonly string[]): Promise<{ added: string[]; removed: string[] }>;
  files(): string[];
  /** Records every file's current stamp: events that leave a stamp as recorded are not changes. */
  markSeen(): Promise<void>;
  close(): Promise<void>;
}

export interface FileWatcherOptions {
  root: string;
  onChange(paths: string[]): void;
  onError(error: unknown): void;
  /** How long setFiles waits for chokidar at most. */
  readyTimeoutMs?: number;
}

const READY_POLL_MS = 5;
const MISSING_POLL_MS = 100;

export function createFileWatcher(options: FileWatcherOptions): FileWatcher {
  const watched = new Set<string>();
  const chokidar = new FSWatcher({ ignoreInitial: true, persistent: true, atomic: true });
  const toRelative = (absolute: string) => relative(options.root, absolute).split(sep).join('/');
  const seen = new Map<string, string | null>();
  const stampOf = (path: string) => readStamp(join(options.root, path));
  // Every report — chokidar's events and the poll's — goes through the stamp check, so a late or
  // repeated event about a save a run has already read starts nothing.
  const consider = async (path: string, unlinked: boolean) => {
    const stamp = await stampOf(path);
    if (!watched.has(path)) return;
    if (stamp === null) missing.add(path);
    else if (unlinked) chokidar.add(join(options.root, path)); // it is back: chokidar gave up on it
    if (!(seen.has(path) && seen.get(path) === stamp)) options.onChange([path]);
  };
  const missing = createMissingPoll(
    options.root,
    MISSING_POLL_MS,
    (path) => {
      if (!watched.has(path)) return;
      chokidar.add(join(options.root, path));
      void consider(path, false).catch(options.onError);
    },
    options.onError,
  );
  const onEvent = (event: string, absolute: string) => {
    const path = toRelative(absolute);
    // Only listed files: chokidar also tracks their folders, and we never act on anything else.
    if (watched.has(path)) void consider(path, event === 'unlink').catch(options.onError);
  };
  chokidar.on('all', onEvent);
  chokidar.on('error', (error) => options.onError(error));

  return {
    async setFiles(paths) {
      const next = new Set(paths);
      const added = [...next].filter((p) => !watched.has(p)).sort();
      const removed = [...watched].filter((p) => !next.has(p)).sort();
      for (const path of removed) {
        watched.delete(path);
        missing.delete(path);
        seen.delete(path);
      }
      for (const path of added) watched.add(path);
      if (removed.length > 0) chokidar.unwatch(removed.map((p) => join(options.root, p)));
      if (added.length > 0) {
        const stamps = await Promise.all(added.map(stampOf));
        for (const [i, path] of added.entries()) {
          seen.set(path, stamps[i] ?? null);
          if (stamps[i] === null) missing.add(path);
        }
        const present = added.filter((_, i) => stamps[i] !== null).map((p) => join(options.root, p));
        chokidar.add(added.map((p) => join(options.root, p)));
        await waitUntilWatched(chokidar, present, options.readyTimeoutMs ?? 2_000);
      }
      return { added, removed };
    },
    files() {
      return [...watched].sort();
    },
    async markSeen() {
      const paths = [...watched];
      const stamps = await Promise.all(paths.map(stampOf));
      for (const [i, path] of paths.entries()) if (watched.has(path)) seen.set(path, stamps[i] ?? null);
    },
    async close() {
      missing.stop();
      chokidar.off('all', onEvent);
      await chokidar.close();
    },
  };
}

interface MissingPoll {
  add(path: string): void;
  delete(path: string): void;
  stop(): void;
}

/** Polls files that do not exist until they do; the timer runs only while one is missing. */
function createMissingPoll(root: string, intervalMs: number, onAppear: (path: string) => void, onError: (error: unknown) => void): MissingPoll {
  const paths = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = async () => {
    for (const path of [...paths]) {
      if (await isFile(join(root, path))) {
        if (!paths.delete(path)) continue; // removed from the list meanwhile
        onAppear(path);
      }
    }
    if (paths.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
  return {
    add(path) {
      if (stopped) return;
      paths.add(path);
      timer ??= setInterval(() => void tick().catch(onError), intervalMs);
    },
    delete(path) {
      paths.delete(path);
    },
    stop() {
      stopped = true;
      paths.clear();
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** inode, size and mtime of a file; null when it is not there (or not a file). */
function readStamp(path: string): Promise<string | null> {
  return stat(path, { bigint: true }).then(
    (s) => (s.isFile() ? `${s.ino}:${s.size}:${s.mtimeNs}` : null),
    () => null,
  );
}

/** Until chokidar lists each (existing) file as watched. Bounded: a slow disk costs latency, never a hang. */
async function waitUntilWatched(chokidar: FSWatcher, paths: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listing = chokidar.getWatched();
    const done = paths.every((p) => listing[dirname(p)]?.includes(basename(p)));
    if (done || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}
