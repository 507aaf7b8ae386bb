// Guards for reading `.bach/`. Everything there is untrusted input: a file may be truncated by a full
// disk, damaged by hand, or planted by whoever wrote the branch (a committed `.bach/` is checked out
// with the rest). Each reader checks the shape of what it parsed with these guards and treats anything
// else as absent — a cache miss, a stale lock — never as data to use, and never as a crash.

export type JsonObject = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A sha256 digest (and a fingerprint) as bach-render writes it: 64 lowercase hex digits. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

/** A shot id as the manifest schema allows it (also safe to print: no control characters). */
export function isShotId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9][a-z0-9_-]{0,63}$/.test(value);
}

/** A non-negative whole number (sizes, inode numbers). */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A task id to keep and print: 1-256 characters, no control characters or surrounding blanks. */
export function isTaskIdText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 && value.trim() === value && !/[\u0000-\u001f\u007f]/.test(value);
}

/** An http(s) URL without spaces or control characters. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

const ROOT_RELATIVE = /^(?![a-zA-Z]:)[^/\\\u0000-\u001f\u007f]+(?:\/[^/\\\u0000-\u001f\u007f]+)*$/;
const DOT_DOT_SEGMENT = /(?:^|\/)\.\.(?:\/|$)/;

/**
 * A path relative to the project folder that stays inside it: POSIX separators, no absolute path,
 * no `..` segment, no empty segment. Paths from `.bach/` files are joined to the project root; one
 * that leaves it would make bach-render look at (or touch) files elsewhere.
 */
export function isRootRelativePath(value: unknown): value is string {
  // One regular expression, not a split per path: the no-op build checks every path of its snapshot
  // (1,300 for 1,000 shots) before it answers. Segments of one or more characters other than `/`, `\`
  // and control characters, joined by single slashes; no segment `..`; no drive letter (`C:`).
  return typeof value === 'string' && ROOT_RELATIVE.test(value) && !DOT_DOT_SEGMENT.test(value);
}

