import { describe, expect, it } from 'vitest';
import { createMultipartLayout, type MultipartLayout } from '../../../src/api/multipart-layout.js';

/** The body with each file's bytes put in their place, as text. */
function assemble(layout: MultipartLayout, contents: string[]): string {
  return layout.segments.map((segment) => ('bytes' in segment ? Buffer.from(segment.bytes).toString('utf8') : contents[segment.file])).join('');
}

describe('createMultipartLayout', () => {
  const files = [
    { field: 'files', filename: 'a.png', contentType: 'image/png', size: 3 },
    { field: 'files', filename: 'b.jpg', contentType: 'image/jpeg', size: 0 },
  ];
  const fields = [
    { field: 'image_names', value: 'a.png' },
    { field: 'image_names', value: 'b.jpg' },
  ];

  it('writes the file parts, then the fields, then the closing boundary, exactly', () => {
    const layout = createMultipartLayout('XyZ', files, fields);
    expect(layout.contentType).toBe('multipart/form-data; boundary=XyZ');
    expect(assemble(layout, ['PNG', ''])).toBe(
      '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="b.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="image_names"\r\n\r\na.png\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="image_names"\r\n\r\nb.jpg\r\n' +
        '--XyZ--\r\n',
    );
  });

  it('gives the length of the whole body, files included', () => {
    const layout = createMultipartLayout('b-1', files, fields);
    expect(layout.contentLength).toBe(Buffer.byteLength(assemble(layout, ['PNG', ''])));
    expect(layout.segments.filter((segment) => 'file' in segment)).toEqual([{ file: 0 }, { file: 1 }]);
  });

  it('is read back by a standard multipart parser as the same files and fields', async () => {
    const layout = createMultipartLayout('bach-render-0123abcd', files, fields);
    const form = await new Response(assemble(layout, ['PNG', '']), { headers: { 'content-type': layout.contentType } }).formData();
    expect(form.getAll('image_names')).toEqual(['a.png', 'b.jpg']);
    const parts = form.getAll('files') as File[];
    expect(parts.map((file) => [file.name, file.type, file.size])).toEqual([
      ['a.png', 'image/png', 3],
      ['b.jpg', 'image/jpeg', 0],
    ]);
  });

  it('escapes quotes and line breaks in names, and writes a text value with CRLF line breaks', () => {
    const layout = createMultipartLayout('b', [{ field: 'files', filename: 'a"\r\n.png', contentType: 'image/png', size: 0 }], [{ field: 'note', value: 'x\ny\r\nz' }]);
    const text = assemble(layout, ['']);
    expect(text).toContain('filename="a%22%0D%0A.png"');
    expect(text).toContain('\r\n\r\nx\r\ny\r\nz\r\n--b--\r\n');
  });

  it('refuses a boundary the multipart grammar does not allow', () => {
    expect(() => createMultipartLayout('', files, fields)).toThrow(RangeError);
    expect(() => createMultipartLayout('a b', files, fields)).toThrow(RangeError);
    expect(() => createMultipartLayout('x'.repeat(71), files, fields)).toThrow(RangeError);
  });
});
