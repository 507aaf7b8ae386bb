import { randomUUID } from 'node:crypto';
import type { TaskStatus } from './tasks.js';

// Upload batches: the synchronous multipart ones (finished when created) and the asynchronous JSON
// ones (TASK_PENDING → TASK_PROCESSING → TASK_SUCCEEDED). A batch whose every image was processed is
// TASK_SUCCEEDED even when some images failed (bach-api.md Part 1, "Batch upload"). A batch belongs
// to the access key that created it; another key gets 404/1203, like an unknown id. A client may
// name its batch (`batch_id`); naming an existing batch of the same key replaces it.

export interface BatchImage {
  /** 0-based position in the request. */
  index: number;
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  url?: string;
  message?: string;
}

export interface Batch {
  id: string;
  accessKey: string;
  /** Stable key of the upload request (content hash + occurrence), for fault decisions on polls. */
  faultKey: string;
  status: TaskStatus;
  total: number;
  images: BatchImage[];
  /** Unix milliseconds. */
  createdAt: number;
}

export interface BatchData {
  batch_id: string;
  status: TaskStatus;
  total: number;
  succeeded: number;
  failed: number;
  images: BatchImage[];
}

export interface BatchStore {
  create(input: { id?: string | undefined; accessKey: string; faultKey: string; total: number; status: TaskStatus }): Batch;
  /** The batch if it exists, belongs to `accessKey` and has not expired. */
  find(id: string, accessKey: string): Batch | undefined;
  clear(): void;
}

export function createBatchStore(options: { now: () => number; batchTtlMs: () => number | null }): BatchStore {
  const batches = new Map<string, Batch>();
  return {
    create(input) {
      const batch: Batch = {
        id: input.id ?? randomUUID(),
        accessKey: input.accessKey,
        faultKey: input.faultKey,
        status: input.status,
        total: input.total,
        images: [],
        createdAt: options.now(),
      };
      const existing = batches.get(batch.id);
      // Another key's batch id cannot be taken over; the newcomer gets a fresh id instead.
      if (existing && existing.accessKey !== input.accessKey) batch.id = randomUUID();
      batches.set(batch.id, batch);
      return batch;
    },
    find(id, accessKey) {
      const batch = batches.get(id);
      if (!batch || batch.accessKey !== accessKey) return undefined;
      const ttl = options.batchTtlMs();
      if (ttl !== null && options.now() >= batch.createdAt + ttl) return undefined;
      return batch;
    },
    clear() {
      batches.clear();
    },
  };
}

export function createBatchData(batch: Batch): BatchData {
  const succeeded = batch.images.filter((image) => image.status === 'SUCCEEDED').length;
  return {
    batch_id: batch.id,
    status: batch.status,
    total: batch.total,
    succeeded,
    failed: batch.images.length - succeeded,
    images: batch.images.map((image) => ({ ...image })),
  };
}
