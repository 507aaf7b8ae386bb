import { UPLOAD_FORMATS } from '../contract/capabilities.js';

// "Is this an image?" by content (magic bytes), not by name, for the upload routes. Recognises every
// upload format of the contract (jpg/jpeg, png, gif, bmp, webp, svg, ico, tiff/tif). Whether the
// content matches the file's extension is not checked: no source says the API does.

export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export function sniffImageFormat(head: Uint8Array): UploadFormat | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0xff, 0xd8, 0xff)) return 'jpg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a') return 'gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (starts(0x00, 0x00, 0x01, 0x00) && bytes.length >= 6 && bytes.readUInt16LE(4) > 0) return 'ico';
  if (starts(0x42, 0x4d) && bytes.length >= 14) return 'bmp';
  if (looksLikeSvg(bytes)) return 'svg';
  return null;
}

/** The extension of a file name or URL path, lower-cased, without the dot; null when there is none. */
export function extensionOf(name: string): string | null {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return null;
  return base.slice(dot + 1);
}

export function isUploadFormat(ext: string): ext is UploadFormat {
  return (UPLOAD_FORMATS as readonly string[]).includes(ext.toLowerCase());
}

const CONTENT_TYPES: Record<UploadFormat, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  tiff: 'image/tiff',
  tif: 'image/tiff',
};

export function contentTypeOf(ext: string): string {
  return isUploadFormat(ext) ? CONTENT_TYPES[ext.toLowerCase() as UploadFormat] : 'application/octet-stream';
}

/** The format a MIME type names (for base64 `data:` URIs), or the subtype when it is not one we know. */
export function formatOfMimeType(mime: string): string {
  const subtype = mime.toLowerCase().replace(/^image\//, '').split(';')[0]!.trim();
  if (subtype === 'svg+xml') return 'svg';
  if (subtype === 'x-icon' || subtype === 'vnd.microsoft.icon') return 'ico';
  return subtype;
}

function looksLikeSvg(bytes: Buffer): boolean {
  const text = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('<')) return false;
  return /<svg[\s>]/i.test(text);
}
