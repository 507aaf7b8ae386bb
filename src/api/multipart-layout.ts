// The layout of a multipart/form-data body (RFC 7578) of file parts and text fields, as the bytes
// around each file and the total length: pure, so the encoder (upload-form.ts) only has to stream the
// files between these pieces, and the Content-Length is known before a byte is sent. The part headers
// are written as browsers and undici's FormData write them (name and filename in quotes, with `"`,
// CR and LF percent-encoded, per the HTML standard's multipart/form-data encoding).

export interface MultipartFile {
  /** The form field's name, e.g. `files`. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface MultipartField {
  field: string;
  value: string;
}

/** Either bytes to send as they are, or the index of a file (in the order given) whose bytes go here. */
export type MultipartSegment = { bytes: Uint8Array } | { file: number };

export interface MultipartLayout {
  contentType: string;
  /** The exact length of the body: the segments' bytes plus every file's size. */
  contentLength: number;
  segments: MultipartSegment[];
}

/**
 * Files first, then fields, in the order given. The boundary must not occur in any file: a random
 * one of 32 hex digits (createBoundary) makes that a chance of 2^-128 per position.
 */
export function createMultipartLayout(boundary: string, files: readonly MultipartFile[], fields: readonly MultipartField[]): MultipartLayout {
  if (!/^[0-9A-Za-z'()+_,.\/:=?-]{1,70}$/.test(boundary)) throw new RangeError(`not a valid multipart boundary: ${boundary}`);
  const segments: MultipartSegment[] = [];
  let contentLength = 0;
  const text = (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    contentLength += bytes.length;
    const last = segments.at(-1);
    // Text that follows text is sent as one piece: fewer, larger writes.
    if (last && 'bytes' in last) last.bytes = Buffer.concat([last.bytes, bytes]);
    else segments.push({ bytes });
  };
  files.forEach((file, index) => {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`);
    segments.push({ file: index });
    contentLength += file.size;
    text('\r\n');
  });
  for (const field of fields) {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(field.field)}"\r\n\r\n${normalizeLineBreaks(field.value)}\r\n`);
  }
  text(`--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, contentLength, segments };
}

/** The HTML standard's escaping of a name or filename inside its quotes. */
function escapeName(name: string): string {
  return name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

/** A text field's value with every line break as CRLF, as the HTML standard sends it. */
function normalizeLineBreaks(value: string): string {
  return value.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n');
}
