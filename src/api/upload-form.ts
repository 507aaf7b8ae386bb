import { openAsBlob } from 'node:fs';
import { extname } from 'node:path';
import type { FormData } from 'undici';
import { sha256File } from '../util/hash.js';
import { InputChangedError } from './input-changed-error.js';
import { loadUndici } from './undici.js';
import type { UploadFile } from './types.js';

// The multipart body of POST /batch-upload/submit-with-files (bach-api.md Part 1, "Batch upload"):
// one `files` part per file, then one `image_names` part per file, in the same order. Each file part is
// a Blob backed by the file on disk (fs.openAsBlob): undici's FormData encoder streams it in chunks and
// computes the Content-Length from the sizes, so memory stays flat whatever the images weigh. A new form
// is built for every attempt, since a streamed body can be sent only once.
//
// The bytes sent must be the bytes the plan hashed (issue 16, item 5: an image saved, same size,
// between the plan and its upload was uploaded with its new bytes while bach.lock recorded the old
// hash). Every attempt verifies each file's sha256 *after* its Blob is open: Node refuses to read a
// file-backed Blob once its file is modified (NotReadableError), so content verified after opening is
// the content sent — or the send fails, and the next attempt verifies again. Decided over hashing
// inside the multipart stream: the same guarantee without our own multipart encoder; the cost is a
// second read of each image, from the page cache.

export { InputChangedError };

const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.tiff': 'image/tiff',
  '.tif': 'image/tiff',
};

export async function createUploadForm(files: readonly UploadFile[], signal?: AbortSignal): Promise<FormData> {
  // The FormData of the undici copy that sends it (api/undici.ts): another copy's would not be recognised as a form.
  const { FormData } = await loadUndici();
  const form = new FormData();
  for (const file of files) {
    const type = IMAGE_TYPES[extname(file.name).toLowerCase()] ?? 'application/octet-stream';
    const blob = await openAsBlob(file.path, { type });
    if (blob.size !== file.size) throw new InputChangedError(file.path, `${file.size} → ${blob.size} bytes`);
    const { sha256 } = await sha256File(file.path, signal);
    if (sha256 !== file.sha256) throw new InputChangedError(file.path, 'same size, other bytes');
    form.append('files', blob, file.name);
  }
  for (const file of files) form.append('image_names', file.name);
  return form;
}
