import { LIMITS } from '../contract/capabilities.js';

// Upload batches: at most 300 images (the API's limit) and at most a byte cap per request, in a
// stable order. The cap bounds what a failed batch costs to send again and keeps each request well
// inside server body limits; memory is flat either way because files are streamed from disk.

export const DEFAULT_BATCH_BYTES = 256 * 1024 * 1024;

export interface BatchItem {
  sha256: string;
  size: number;
}

export function createBatches<T extends BatchItem>(
  items: readonly T[],
  limits: { maxImages?: number; maxBytes?: number } = {},
): T[][] {
  const maxImages = limits.maxImages ?? LIMITS.uploadBatchImages;
  const maxBytes = limits.maxBytes ?? DEFAULT_BATCH_BYTES;
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= maxImages || bytes + item.size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
