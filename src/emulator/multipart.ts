// A small streaming multipart/form-data parser (RFC 7578 / RFC 2046), so that an upload of
// 300 × 8 MB never sits in memory: the caller feeds chunks as they arrive and gets back events
// (part start with its headers, body data, part end). It keeps at most one delimiter's length of
// bytes between chunks, so a boundary split across chunks is still found.
//
// Used as: for await (const chunk of request) { for (const event of parser.write(chunk)) { await … } }
// — the request is read no faster than the events are handled (backpressure for free).
// Written here rather than taking busboy: the emulator ships in the package, and this is ~150 lines
// with its own unit tests (test/unit/emulator/multipart.test.ts).

export interface PartInfo {
  /** The form field name (Content-Disposition `name`). */
  name: string | null;
  /** The file name (Content-Disposition `filename*` or `filename`), when the part is a file. */
  filename: string | null;
  contentType: string | null;
  headers: Record<string, string>;
}

export type MultipartEvent = { type: 'part'; part: PartInfo } | { type: 'data'; data: Buffer } | { type: 'part-end' };

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface MultipartLimits {
  /** Bytes of one part's header block. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Parts in one body. Default 10 000. */
  maxParts?: number;
}

export interface MultipartParser {
  write(chunk: Uint8Array): MultipartEvent[];
  /** Call at the end of the body; throws MultipartError when the closing delimiter was not seen. */
  end(): void;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or null when it is not one. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]!) : null;
}

export function createMultipartParser(boundary: string, limits: MultipartLimits = {}): MultipartParser {
  const maxHeaderBytes = limits.maxHeaderBytes ?? 16 * 1024;
  const maxParts = limits.maxParts ?? 10_000;
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let state: State = 'preamble';
  // The body's first delimiter has no CRLF before it; pretend it has, so one search fits all.
  let pending: Buffer = Buffer.from(CRLF);
  let parts = 0;

  const step = (events: MultipartEvent[]): boolean => {
    switch (state) {
      case 'preamble':
      case 'body': {
        const at = pending.indexOf(delimiter);
        if (at === -1) {
          // Keep what could be the start of a delimiter split across chunks.
          const safe = Math.max(0, pending.length - (delimiter.length - 1));
          if (state === 'body' && safe > 0) events.push({ type: 'data', data: pending.subarray(0, safe) });
          pending = pending.subarray(safe);
          return false;
        }
        if (state === 'body') {
          if (at > 0) events.push({ type: 'data', data: pending.subarray(0, at) });
          events.push({ type: 'part-end' });
        }
        pending = pending.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (pending.length < 2) return false;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'done';
          return false;
        }
        const lineEnd = pending.indexOf(CRLF);
        if (lineEnd === -1) {
          if (pending.length > 256) throw new MultipartError('malformed delimiter line');
          return false;
        }
        // RFC 2046 allows linear whitespace after the boundary before the CRLF.
        if (!/^[ \t]*$/.test(pending.subarray(0, lineEnd).toString('latin1'))) throw new MultipartError('malformed delimiter line');
        pending = pending.subarray(lineEnd + 2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        // A part without headers: the blank line follows the delimiter line at once.
        const end = pending.subarray(0, 2).equals(CRLF) ? -2 : pending.indexOf(HEADER_END);
        if (end === -1) {
          if (pending.length > maxHeaderBytes) throw new MultipartError('part headers too large');
          return false;
        }
        if (end > maxHeaderBytes) throw new MultipartError('part headers too large');
        parts += 1;
        if (parts > maxParts) throw new MultipartError(`more than ${maxParts} parts`);
        const block = end < 0 ? '' : pending.subarray(0, end).toString('utf8');
        events.push({ type: 'part', part: parsePartHeaders(block) });
        pending = pending.subarray(end < 0 ? 2 : end + HEADER_END.length);
        state = 'body';
        return true;
      }
      case 'done':
        pending = Buffer.alloc(0);
        return false;
    }
  };

  return {
    write(chunk) {
      const events: MultipartEvent[] = [];
      if (state === 'done') return events;
      pending = pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([pending, chunk]);
      while (step(events)) {
        /* keep stepping while progress is made */
      }
      return events;
    },
    end() {
      if (state !== 'done') throw new MultipartError('the body ended before the closing boundary');
    },
  };
}

export function parsePartHeaders(block: string): PartInfo {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const disposition = parseDisposition(headers['content-disposition'] ?? '');
  return {
    name: disposition.name ?? null,
    filename: disposition['filename*'] ?? disposition.filename ?? null,
    contentType: headers['content-type'] ?? null,
    headers,
  };
}

/** `form-data; name="files"; filename="a.png"` → { name: 'files', filename: 'a.png' }. */
function parseDisposition(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of value.matchAll(pattern)) {
    const key = match[1]!.toLowerCase();
    if (match[2] !== undefined) params[key] = match[2].replace(/\\(.)/g, '$1');
    else params[key] = key.endsWith('*') ? decodeExtendedValue(match[3]!.trim()) : match[3]!.trim();
  }
  return params;
}

/** RFC 5987 `UTF-8''a%20b.png` → `a b.png`. */
function decodeExtendedValue(value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) return value;
  try {
    return decodeURIComponent(match[2]!);
  } catch {
    return match[2]!;
  }
}
