import type { Mode } from '../contract/types.js';
import type { JournalEntry, JournalState } from './journal.js';
import { isCount, isObject, isSha256Hex, isShotId } from './shapes.js';

// The shape check every journal file passes before any of its fields is used (issue 16, item 10).
// A journal entry's fields become paths and requests: the fingerprint names a file in `.bach/cache/`,
// the task id a path on the API, the shot id an output. A planted entry with `"fingerprint":
// "../../../x"` made a build download a result outside `.bach/cache`. So an entry is used only when
// every field is what bach-render itself writes; anything else is ignored with the reason (the
// caller warns) and left on disk for a person to look at, never deleted and never followed.

const STATES: readonly JournalState[] = ['submitting', 'sending', 'accepted', 'expired'];
const MODES: readonly Mode[] = ['text-to-video', 'image-to-video', 'multi-image-to-video'];

/**
 * The API's task ids are UUIDs (bach-api.md, "task_id is a UUID string"). Decided: accept any opaque
 * token of letters, digits and `._:-` starting with a letter or digit, up to 128 characters — a
 * server that changes its id format keeps working, while nothing that could act as a path or a
 * header (a slash, `..`, blanks, control characters) ever gets through.
 */
export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value);
}

/** `<fingerprint>-<8 hex>`: the file name stem Journal.recordSubmitting chooses. */
function isKeyFor(key: unknown, fingerprint: string, fileName: string): boolean {
  return typeof key === 'string' && /^[0-9a-f]{64}-[0-9a-f]{8}$/.test(key) && key.startsWith(`${fingerprint}-`) && `${key}.json` === fileName;
}

/** The entry, or why it is not one bach-render wrote. */
export function checkJournalEntry(value: unknown, fileName: string, version: number): { entry: JournalEntry } | { why: string } {
  if (!isObject(value)) return { why: 'not a JSON object' };
  if (value.journalVersion !== version) return { why: `journalVersion is not ${version}` };
  if (!isSha256Hex(value.fingerprint)) return { why: 'its fingerprint is not 64 hex digits' };
  if (!isKeyFor(value.key, value.fingerprint, fileName)) return { why: 'its key does not match its file name and fingerprint' };
  if (!isShotId(value.shotId)) return { why: 'its shotId is not a shot id' };
  if (typeof value.mode !== 'string' || !MODES.includes(value.mode as Mode)) return { why: 'its mode is not one of the API\'s modes' };
  if (!isObject(value.request)) return { why: 'its request is not an object' };
  if (!isCount(value.seed)) return { why: 'its seed is not a whole number' };
  if (typeof value.state !== 'string' || !STATES.includes(value.state as JournalState)) return { why: 'its state is unknown' };
  const paid = value.state === 'accepted' || value.state === 'expired';
  if (paid && !isTaskId(value.taskId)) return { why: 'its taskId is not a task id of the API\'s form' };
  if (!paid && value.taskId !== undefined) return { why: 'it has a taskId in a state without one' };
  if (value.inDoubt !== undefined && typeof value.inDoubt !== 'boolean') return { why: 'inDoubt is not true or false' };
  if (value.ephemeral !== undefined && value.ephemeral !== true) return { why: 'ephemeral is not true' };
  return { entry: value as unknown as JournalEntry };
}
