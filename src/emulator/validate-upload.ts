import { LIMITS } from '../contract/capabilities.js';
import { isPlainObject } from './config.js';
import { extensionOf, formatOfMimeType, isUploadFormat, sniffImageFormat } from './image-format.js';
import { isHttpUrl } from './validate-create.js';

// The batch-upload rules (bach-api.md Part 1, "Batch upload"), verbatim and in the documented order.
// Request-level rules answer 400/1000 for the whole request; per-image rules fail that image only.
// `{n}` is 1-based ("the {n}th image"); sizes are MB (MiB) with two decimals, e.g. `10.50MB`.
//
// Decided (docs/emulator.md):
// - JSON (`submit`): an image is "of file type" when it says `"type": "file"` or its imageData is a
//   `file:` URL. A url image that is not an http(s) URL gets the emulator-only message
//   `The {n}th image URL is not a valid HTTP or HTTPS URL.` before the extension rules. A base64
//   image's format comes from its `data:` URI or its `format` field, never from its bytes ("Include
//   a format parameter or use data URI format"); its size is estimated as 3/4 of the base64 length.
// - Content that is not an image by its magic bytes fails with the file rule's message,
//   `The {n}th file '{name}' is not an image.`, for every route.

export const MAX_IMAGES = LIMITS.uploadBatchImages;

export const REQUEST_MESSAGES = {
  noFiles: 'The upload file list cannot be empty.',
  tooMany: `Batch upload supports a maximum of ${MAX_IMAGES} images.`,
  namesMismatch: 'The length of imageNames array must match the length of files array.',
  noImages: 'The upload image list cannot be empty.',
  noType: 'The upload type cannot be empty.',
  badType: 'The upload type can only be url or base64.',
} as const;

export interface ReceivedFile {
  /** 1-based position among the files. */
  n: number;
  filename: string;
  size: number;
  /** The first bytes, for the magic-byte check. */
  head: Uint8Array;
}

/** Request-level rules of `submit-with-files`. */
export function validateFilesRequest(fileCount: number, nameCount: number): string | null {
  if (fileCount === 0) return REQUEST_MESSAGES.noFiles;
  if (fileCount > MAX_IMAGES) return REQUEST_MESSAGES.tooMany;
  if (nameCount > 0 && nameCount !== fileCount) return REQUEST_MESSAGES.namesMismatch;
  return null;
}

/** Per-file rules of `submit-with-files`, in the documented order. */
export function validateReceivedFile(file: ReceivedFile): string | null {
  const { n, filename } = file;
  const ext = extensionOf(filename);
  if (file.size > LIMITS.uploadImageBytes) {
    return `The ${n}th image '${filename}' size is ${formatMegabytes(file.size)}MB, exceeds the maximum limit of 10MB.`;
  }
  if (sniffImageFormat(file.head) === null) return `The ${n}th file '${filename}' is not an image.`;
  if (ext !== null && !isUploadFormat(ext)) return `The ${n}th file '${filename}' extension '${ext}' is not supported.`;
  if (ext === null) return `The ${n}th file '${filename}' does not have a valid file extension.`;
  return null;
}

/** Request-level rules of `submit` (JSON). */
export function validateJsonUploadRequest(body: Record<string, unknown>): string | null {
  if (!Array.isArray(body.images) || body.images.length === 0) return REQUEST_MESSAGES.noImages;
  if (typeof body.upload_type !== 'string' || body.upload_type.trim() === '') return REQUEST_MESSAGES.noType;
  if (body.upload_type !== 'url' && body.upload_type !== 'base64') return REQUEST_MESSAGES.badType;
  if (body.images.length > MAX_IMAGES) return REQUEST_MESSAGES.tooMany;
  return null;
}

export type JsonImagePlan =
  | { ok: false; name: string; message: string }
  | { ok: true; kind: 'url'; name: string; url: string; ext: string }
  | { ok: true; kind: 'base64'; name: string; bytes: Buffer; ext: string };

/** Per-image rules of `submit` that need no network: what to fetch or decode, or the message. */
export function planJsonImage(image: unknown, n: number, uploadType: 'url' | 'base64'): JsonImagePlan {
  const fields = isPlainObject(image) ? image : {};
  const data = fields.imageData;
  const givenName = typeof fields.imageName === 'string' && fields.imageName.trim() !== '' ? fields.imageName : null;
  const fail = (message: string, name = givenName ?? `image_${n}`): JsonImagePlan => ({ ok: false, name, message });

  if (fields.type === 'file' || (typeof data === 'string' && /^file:/i.test(data))) {
    return fail(`The ${n}th image: For file type, please use the submit-with-files interface.`);
  }
  if (typeof data !== 'string' || data.trim() === '') return fail(`The ${n}th image: imageData cannot be empty.`);

  if (uploadType === 'url') {
    if (!isHttpUrl(data)) return fail(`The ${n}th image URL is not a valid HTTP or HTTPS URL.`);
    const path = new URL(data).pathname;
    const name = givenName ?? safeDecode(path.slice(path.lastIndexOf('/') + 1));
    const ext = extensionOf(path);
    if (ext === null) return fail(`The ${n}th image URL does not have a valid file extension.`, name);
    if (!isUploadFormat(ext)) return fail(`The ${n}th image URL format '${ext}' is not supported.`, name);
    return { ok: true, kind: 'url', name, url: data, ext: ext.toLowerCase() };
  }

  const dataUri = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(data);
  const payload = (dataUri ? data.slice(dataUri[0].length) : data).replace(/\s+/g, '');
  const approximateBytes = Math.floor((payload.replace(/=+$/, '').length * 3) / 4);
  if (approximateBytes > LIMITS.uploadImageBytes) {
    return fail(`The ${n}th image (base64) size is approximately ${formatMegabytes(approximateBytes)}MB, exceeds the maximum limit of 10MB.`);
  }
  const declared = dataUri?.[1] ? formatOfMimeType(dataUri[1]) : typeof fields.format === 'string' ? formatOfMimeType(fields.format.replace(/^\./, '')) : '';
  if (declared === '') return fail(`The ${n}th image (base64): Cannot determine image format.`);
  if (!isUploadFormat(declared)) return fail(`The ${n}th image (base64) format '${declared}' is not supported.`);
  const name = givenName ?? `image_${n}.${declared.toLowerCase()}`;
  const bytes = Buffer.from(payload, 'base64');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload) || sniffImageFormat(bytes) === null) {
    return fail(`The ${n}th file '${name}' is not an image.`, name);
  }
  return { ok: true, kind: 'base64', name, bytes, ext: declared.toLowerCase() };
}

/** Checks on fetched bytes (url images): the file rules' size and content messages. */
export function validateFetchedImage(n: number, name: string, size: number, head: Uint8Array): string | null {
  if (size > LIMITS.uploadImageBytes) {
    return `The ${n}th image '${name}' size is ${formatMegabytes(size)}MB, exceeds the maximum limit of 10MB.`;
  }
  if (sniffImageFormat(head) === null) return `The ${n}th file '${name}' is not an image.`;
  return null;
}

export function formatMegabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(2);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
