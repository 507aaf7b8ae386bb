import { describe, expect, it } from 'vitest';
import { boundaryOf, createMultipartParser, MultipartError, parsePartHeaders, type MultipartEvent } from '../../../src/emulator/multipart.js';

const BOUNDARY = '----bach-test-boundary';

interface Part {
  headers: string[];
  body: Buffer;
}

function buildBody(parts: Part[], options: { preamble?: string; epilogue?: string } = {}): Buffer {
  const pieces: Buffer[] = [Buffer.from(options.preamble ?? '')];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${BOUNDARY}\r\n${part.headers.join('\r\n')}\r\n\r\n`), part.body, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n${options.epilogue ?? ''}`));
  return Buffer.concat(pieces);
}

/** Feeds `body` in the given chunk sizes and collects each part's name, filename and bytes. */
function parse(body: Buffer, chunkSizes: number[] | ((index: number) => number)) {
  const parser = createMultipartParser(BOUNDARY);
  const parts: { name: string | null; filename: string | null; contentType: string | null; data: Buffer }[] = [];
  let current: (typeof parts)[number] | null = null;
  const handle = (events: MultipartEvent[]) => {
    for (const event of events) {
      if (event.type === 'part') {
        current = { name: event.part.name, filename: event.part.filename, contentType: event.part.contentType, data: Buffer.alloc(0) };
      } else if (event.type === 'data') {
        current!.data = Buffer.concat([current!.data, event.data]);
      } else {
        parts.push(current!);
        current = null;
      }
    }
  };
  let offset = 0;
  for (let index = 0; offset < body.length; index += 1) {
    const size = typeof chunkSizes === 'function' ? chunkSizes(index) : (chunkSizes[index % chunkSizes.length] ?? 1);
    handle(parser.write(body.subarray(offset, offset + size)));
    offset += size;
  }
  parser.end();
  return parts;
}

/** Deterministic pseudo-random bytes. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out[i] = state >> 16;
  }
  return out;
}

describe('createMultipartParser', () => {
  const file = bytes(5000, 7);
  // Data that nearly contains the delimiter: CRLF, dashes and a boundary prefix, but never the whole.
  const tricky = Buffer.concat([Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}X\r\n--\r\n\r\n--`), bytes(100, 3), Buffer.from('\r\n-')]);
  const body = buildBody(
    [
      { headers: ['Content-Disposition: form-data; name="files"; filename="a.png"', 'Content-Type: image/png'], body: file },
      { headers: ['Content-Disposition: form-data; name="files"; filename="tricky.bin"'], body: tricky },
      { headers: ['Content-Disposition: form-data; name="image_names"'], body: Buffer.from('first.png') },
      { headers: ['Content-Disposition: form-data; name="empty"'], body: Buffer.alloc(0) },
    ],
    { preamble: 'This is the preamble.\r\n', epilogue: 'ignored epilogue' },
  );

  const expectParts = (parts: ReturnType<typeof parse>) => {
    expect(parts.map((part) => [part.name, part.filename, part.contentType])).toEqual([
      ['files', 'a.png', 'image/png'],
      ['files', 'tricky.bin', null],
      ['image_names', null, null],
      ['empty', null, null],
    ]);
    expect(parts[0]!.data.equals(file)).toBe(true);
    expect(parts[1]!.data.equals(tricky)).toBe(true);
    expect(parts[2]!.data.toString()).toBe('first.png');
    expect(parts[3]!.data.length).toBe(0);
  };

  it('parses a body given whole', () => {
    expectParts(parse(body, [body.length]));
  });

  it('finds boundaries split across chunks, whatever the chunk sizes', () => {
    for (const size of [1, 2, 3, 5, 7, 13, 64, 1000]) expectParts(parse(body, [size]));
    expectParts(parse(body, (index) => 1 + ((index * 7919) % 97)));
  });

  it('accepts a part without headers and whitespace after the boundary', () => {
    const raw = Buffer.from(`--${BOUNDARY}  \r\n\r\nno headers\r\n--${BOUNDARY}--`);
    const parts = parse(raw, [4]);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.name).toBeNull();
    expect(parts[0]!.data.toString()).toBe('no headers');
  });

  it('refuses a body that ends before the closing boundary', () => {
    const truncated = body.subarray(0, body.length - 30);
    expect(() => parse(truncated, [100])).toThrow(MultipartError);
  });

  it('refuses an oversized header block and too many parts', () => {
    const big = Buffer.from(`--${BOUNDARY}\r\nX-Long: ${'a'.repeat(2000)}\r\n\r\nx\r\n--${BOUNDARY}--`);
    const parser = createMultipartParser(BOUNDARY, { maxHeaderBytes: 1000 });
    expect(() => parser.write(big)).toThrow(/headers too large/);
    const many = buildBody([1, 2, 3].map(() => ({ headers: ['Content-Disposition: form-data; name="a"'], body: Buffer.from('x') })));
    expect(() => createMultipartParser(BOUNDARY, { maxParts: 2 }).write(many)).toThrow(/more than 2 parts/);
  });

  it('refuses garbage after a boundary', () => {
    const raw = Buffer.from(`--${BOUNDARY}garbage\r\n\r\nx\r\n--${BOUNDARY}--`);
    expect(() => createMultipartParser(BOUNDARY).write(raw)).toThrow(MultipartError);
  });
});

describe('parsePartHeaders', () => {
  it('reads quoted, escaped and RFC 5987 file names', () => {
    expect(parsePartHeaders('Content-Disposition: form-data; name="files"; filename="my \\"best\\" shot.png"').filename).toBe('my "best" shot.png');
    expect(parsePartHeaders(`content-disposition: form-data; name=files; filename*=UTF-8''caf%C3%A9.png`)).toMatchObject({ name: 'files', filename: 'café.png' });
    expect(parsePartHeaders('Content-Disposition: form-data; name="x"').filename).toBeNull();
  });
});

describe('boundaryOf', () => {
  it('takes the boundary of multipart/form-data only', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="quoted boundary"')).toBe('quoted boundary');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });
});
