import { openAsBlob } from 'node:fs';
import { extname } from 'node:path';
import { FormData } from 'undici';
import { BachError } from '../errors.js';
import type { UploadFile } from './types.js';

// The multipart body of POST /batch-upload/submit-with-files (bach-api.md Part 1, "Batch upload"):
// one `files` part per file, then one `image_names` part per file, in the same order. Each file part is
// a Blob backed by the file on disk (fs.openAsBlob): undici's FormData encoder streams it in chunks and
// computes the Content-Length from the sizes, so memory stays flat whatever the images weigh. A new form
// is built for every attempt, since a streamed body can be sent only once.

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

export async function createUploadForm(files: readonly UploadFile[]): Promise<FormData> {
  const form = new FormData();
  for (const file of files) {
    const type = IMAGE_TYPES[extname(file.name).toLowerCase()] ?? 'application/octet-stream';
    const blob = await openAsBlob(file.path, { type });
    // The upload must carry exactly the bytes that were hashed into the fingerprint; a size change
    // is the change we can see without hashing again.
    if (blob.size !== file.size) {
      throw new BachError('input-changed', `${file.path} changed while the build was running (${file.size} → ${blob.size} bytes)`, {
        hint: 'Run the build again once the file is saved.',
      });
    }
    form.append('files', blob, file.name);
  }
  for (const file of files) form.append('image_names', file.name);
  return form;
}
