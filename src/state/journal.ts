import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ShotIdentity } from '../contract/shot-identity.js';
import { isTempFileName, writeFileAtomicSync } from '../util/atomic-write.js';
import { checkJournalEntry } from './journal-shape.js';

// The journal of paid work, one file per submission in `.bach/journal/`. It is what makes a build
// that is killed and started again poll the task it already paid for instead of paying again:
//
//   1. `submitting` is written (fsynced) *before* the create request is sent;
//   2. `accepted` + task id is written (fsynced) the moment the API answers with a task id —
//      synchronously, before anything else runs, to keep the window between "the server created a
//      task" and "the task id is on disk" as small as the process allows;
//   3. the entry is removed once the result is safely in `.bach/cache/` (or the task failed, or the
//      request certainly created nothing).
//
// On start, `accepted` entries are resumed. A `sending` entry means a create request was (maybe) on
// the wire and its answer never arrived: the API has no way to look a task up by content, so the shot
// is held in doubt — planned `?`, not sent — until the person sends it again with --force (then it is
// reported as "may have been billed twice"). A `submitting` entry never reached
// the submitter and is simply dropped. Writes are synchronous on purpose: they are small, and nothing
// may interleave between "accepted" and its record.

export const JOURNAL_VERSION = 1;

/**
 * `submitting`: written by the build before it hands the request to the submitter process;
 * `sending`: written by the submitter just before the request leaves — from here the API may create
 *   (and bill) a task, so a `sending` record left behind means "may have been billed", while a
 *   `submitting` one means the request never left;
 * `accepted`: the API answered with a task id (paid for);
 * `expired`: the task succeeded but its result URL expired before the video could be downloaded — paid
 *   for and lost. Kept so that the next build does not silently pay again: it asks for --allow-rerender.
 */
export type JournalState = 'submitting' | 'sending' | 'accepted' | 'expired';

interface JournalRecord extends ShotIdentity {
  journalVersion: typeof JOURNAL_VERSION;
  /** The file name stem: `<fingerprint>-<nonce>` (a fingerprint may be submitted again with --force). */
  key: string;
  shotId: string;
  /** The create request's outcome was unknown at least once (it may have created an extra task). */
  inDoubt?: boolean;
  /**
   * Sent to the embedded emulator of the build that wrote it (`--emulator`): the task lives in that
   * process and ends with it, so no later process may follow it (issue 15, item 3). Such entries
   * are never read as work to resume (`list`), and the next session removes them (`dropEphemeral`).
   */
  ephemeral?: true;
}

export interface SubmittingEntry extends JournalRecord {
  state: 'submitting';
}
export interface SendingEntry extends JournalRecord {
  state: 'sending';
}
export interface AcceptedEntry extends JournalRecord {
  state: 'accepted';
  taskId: string;
}
export interface ExpiredEntry extends JournalRecord {
  state: 'expired';
  taskId: string;
}

/** A submission, by state: only a paid-for entry (accepted, expired) has a task id. */
export type JournalEntry = SubmittingEntry | SendingEntry | AcceptedEntry | ExpiredEntry;

/** The identity and shot of a new submission (the request is the fingerprinted one, kept to cache and lock the result later). */
export type NewJournalEntry = Omit<SubmittingEntry, 'journalVersion' | 'key' | 'state'>;

/** How records reach the disk; tests pass failing writers in (a full disk) instead of filling one. */
export interface JournalWriters {
  writeAtomic: (path: string, text: string) => void;
  writeInPlace: (path: string, text: string) => void;
}

export class Journal {
  private readonly writers: JournalWriters;

  constructor(private readonly dir: string, writers: Partial<JournalWriters> = {}) {
    this.writers = { writeAtomic: writeFileAtomicSync, writeInPlace: overwriteInPlace, ...writers };
  }

  /** Step 1: before the create request goes out. */
  recordSubmitting(entry: NewJournalEntry): SubmittingEntry {
    mkdirSync(this.dir, { recursive: true });
    const key = `${entry.fingerprint}-${randomBytes(4).toString('hex')}`;
    const record: SubmittingEntry = { journalVersion: JOURNAL_VERSION, key, ...entry, state: 'submitting' };
    this.write(record);
    return record;
  }

  /**
   * Step 1b (the submitter): the request is about to leave. The record is written with room to
   * spare (`RESERVE`), so that its `accepted` successor fits in the same file's blocks: see below.
   */
  recordSending(entry: SubmittingEntry): SendingEntry {
    const record: SendingEntry = { ...entry, state: 'sending' };
    const text = serialize(record);
    this.writers.writeAtomic(this.pathOf(record.key), padTo(text, Buffer.byteLength(text) + RESERVE));
    return record;
  }

  /**
   * Step 2: the API accepted it; the task is paid for from here on, and its id must not be lost.
   * Normally an atomic write. When that fails for want of space (issue 16, item 2: ENOSPC here left
   * the record at `sending`, and the next build paid again), the `sending` file is overwritten in
   * place: it was written with room for this record, so the overwrite needs no new blocks. Decided:
   * that in-place write is not atomic — a crash during it on a full disk could tear the record (the
   * shape check then reports the file and leaves it alone) — but it keeps the task id in every other
   * case, where the atomic write keeps it in none. If even that fails, the error says the task id.
   */
  recordAccepted(entry: SendingEntry, taskId: string, inDoubt: boolean): AcceptedEntry {
    const record: AcceptedEntry = { ...entry, state: 'accepted', taskId, ...(inDoubt ? { inDoubt: true } : {}) };
    try {
      this.write(record);
    } catch (error) {
      if (!isOutOfSpace(error)) throw error;
      const path = this.pathOf(record.key);
      try {
        this.writers.writeInPlace(path, serialize(record));
      } catch (second) {
        throw new TaskNotRecordedError(taskId, path, second);
      }
    }
    return record;
  }

  /** The result was paid for but can no longer be downloaded. */
  recordExpired(entry: AcceptedEntry): ExpiredEntry {
    const record: ExpiredEntry = { ...entry, state: 'expired' };
    this.write(record);
    return record;
  }

  /** Step 3: nothing left to collect for this submission. */
  remove(entry: Pick<JournalEntry, 'key'>): void {
    rmSync(this.pathOf(entry.key), { force: true });
  }

  /**
   * Removes temp files left by writers that were killed mid-write. Only the writer of a temp file may
   * remove it while it lives (issue 16, item 1: a restore that swept the journal mid-build deleted the
   * temp file a submitter was about to rename into its "accepted" record, losing a paid task id).
   * So this runs once, at start-up, under the folder lock, after every submitter of an earlier build
   * is gone (`acquireFolder`) — and never during a build.
   */
  sweepLeftovers(): void {
    for (const name of this.names()) if (isTempFileName(name)) rmSync(join(this.dir, name), { force: true });
  }

  /**
   * Removes the entries of tasks that lived in an embedded emulator (`ephemeral`): at start-up,
   * under the folder lock, the process that ran that emulator is gone and its tasks with it.
   * Returns the shots they were for, so that the build can say why they render again.
   */
  dropEphemeral(): string[] {
    const shots: string[] = [];
    for (const entry of this.list({ ephemeral: true }).entries) {
      if (!entry.ephemeral) continue;
      this.remove(entry);
      shots.push(entry.shotId);
    }
    return [...new Set(shots)].sort();
  }

  /**
   * Every entry that passes the shape check (journal-shape.ts). Files that do not parse or are not an
   * entry bach-render wrote are returned with the reason, for a warning, and left alone: never used,
   * never deleted (a person may want to look at them). Reads only.
   */
  list(options: { ephemeral?: boolean } = {}): { entries: JournalEntry[]; unreadable: { file: string; why: string }[] } {
    const entries: JournalEntry[] = [];
    const unreadable: { file: string; why: string }[] = [];
    for (const name of this.names().sort()) {
      if (isTempFileName(name) || !name.endsWith('.json')) continue;
      const file = join(this.dir, name);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        unreadable.push({ file, why: 'not readable JSON' });
        continue;
      }
      const checked = checkJournalEntry(parsed, name, JOURNAL_VERSION);
      if ('why' in checked) {
        unreadable.push({ file, why: checked.why });
        continue;
      }
      // An embedded emulator's task is nobody's work after its process: never resumed.
      if (checked.entry.ephemeral && !options.ephemeral) continue;
      entries.push(checked.entry);
    }
    return { entries, unreadable };
  }

  private names(): string[] {
    try {
      return readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private write(entry: JournalEntry): void {
    this.writers.writeAtomic(this.pathOf(entry.key), serialize(entry));
  }

  private pathOf(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

/** Room left in a `sending` record for the fields its `accepted` successor adds (a task id, inDoubt). */
const RESERVE = 512;

function serialize(entry: JournalEntry): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}

/** JSON allows trailing whitespace: the padding parses away. */
function padTo(text: string, length: number): string {
  const bytes = Buffer.byteLength(text);
  return bytes >= length ? text : text + ' '.repeat(length - bytes - 1) + '\n';
}

function isOutOfSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Overwrites the file's bytes where they are (no new file, no new blocks), padded to its old length, then fsyncs. */
function overwriteInPlace(path: string, text: string): void {
  const fd = openSync(path, 'r+');
  try {
    const old = fstatSync(fd).size;
    const bytes = Buffer.from(padTo(text, old));
    writeSync(fd, bytes, 0, bytes.length, 0);
    if (bytes.length < old) ftruncateSync(fd, bytes.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A task the API accepted (paid for) whose id could not be written anywhere: said with the id, never lost silently. */
export class TaskNotRecordedError extends Error {
  readonly code: string | undefined;
  constructor(readonly taskId: string, path: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | null)?.code ?? (cause instanceof Error ? cause.message : String(cause));
    super(`task ${taskId} was accepted (billed) but could not be recorded in ${path} (${reason})`);
    this.name = 'TaskNotRecordedError';
    this.code = (cause as NodeJS.ErrnoException | null)?.code;
  }
}
