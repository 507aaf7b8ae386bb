import { ApiError, createAbortError } from './errors.js';
import type { Sleep } from '../util/clock.js';
import type { UploadedImage, UploadFile, UploadResult } from './types.js';
import type { BatchData } from './wire.js';

// After POST /batch-upload/submit-with-files. The contract says the synchronous upload answers when it
// is done; should a server answer TASK_PENDING/TASK_PROCESSING anyway, the batch is polled at
// GET /batch-upload/status/{id} (every 2 s, the API's advice) until it settles. Then every file given
// gets exactly one result, by its index: an image the server did not report is a failure of that
// image, not of the batch, so the images that did upload are kept.

export interface PollUploadOptions {
  intervalMs: number;
  sleep: Sleep;
  signal?: AbortSignal;
  /** Give up on a batch that never settles. Default 30 minutes. */
  timeoutMs?: number;
  fetchStatus: (batchId: string) => Promise<BatchData>;
}

export async function pollUploadBatch(first: BatchData, options: PollUploadOptions): Promise<BatchData> {
  let batch = first;
  const maxPolls = Math.ceil((options.timeoutMs ?? 30 * 60_000) / Math.max(1, options.intervalMs));
  for (let poll = 0; isRunning(batch); poll += 1) {
    if (poll >= maxPolls) {
      throw new ApiError({ kind: 'timeout', outcome: 'unknown', message: `upload batch ${batch.batchId} did not finish` });
    }
    await options.sleep(options.intervalMs, options.signal).catch(() => {});
    if (options.signal?.aborted) throw createAbortError(options.signal);
    batch = await options.fetchStatus(batch.batchId);
  }
  return batch;
}

export function collectUploadResult(batch: BatchData, files: readonly UploadFile[]): UploadResult {
  const byIndex = new Map(batch.images.map((image) => [image.index, image]));
  const images = files.map((file, index): UploadedImage => {
    const reported = byIndex.get(index);
    if (reported?.ok && reported.url) return { index, name: file.name, ok: true, url: reported.url };
    const fallback = batch.status === 'TASK_FAILED' ? 'the upload batch failed' : 'the server did not report this image';
    return { index, name: file.name, ok: false, message: reported?.message ?? fallback };
  });
  return { batchId: batch.batchId, images };
}

function isRunning(batch: BatchData): boolean {
  return batch.status === 'TASK_PENDING' || batch.status === 'TASK_PROCESSING';
}
