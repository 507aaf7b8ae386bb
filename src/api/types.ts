import type { Mode } from '../contract/types.js';
import type { RequestBody } from '../contract/create-request.js';
import type { QueryData, TaskStatus } from './wire.js';
import type { Permit } from './rate-gate.js';

// The client's public surface (ARCHITECTURE.md, "API client"). Errors are ApiError (errors.ts);
// an abort rejects with the signal's AbortError and is never retried.

export type { TaskStatus };

/** Which call an event or error belongs to. */
export type ApiRequestKind = 'create' | 'query' | 'upload' | 'download' | 'check';

/**
 * What the client tells the reporters. One event per retry decision: `api:rate-limited` for a 429,
 * `api:in-doubt` for a create whose outcome was unknown and is retried once, `api:retry` for the rest —
 * except a token refused for its time (1102, or 1103 right after a renewal): the client then dates its
 * tokens by the server's clock and says so once, with `api:clock-skew`.
 * Carries no header, token, key or URL.
 */
export interface ApiEvent {
  type: 'api:retry' | 'api:rate-limited' | 'api:in-doubt' | 'api:clock-skew';
  request: ApiRequestKind;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** How long the next attempt waits. */
  delayMs: number;
  /** One line, e.g. "HTTP 503 (code 5000): Internal server error" or "connection refused (ECONNREFUSED)". */
  reason: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreatedTask {
  taskId: string;
  status: TaskStatus;
  /** Unix seconds, when the server sent it. */
  createdAt?: number;
  /** An attempt's outcome was unknown and the create was sent again: the shot may have been billed twice. */
  inDoubtRetried: boolean;
}

/** A task as a query reads it (`videoUrl` when TASK_SUCCEEDED, `message` when TASK_FAILED; times in Unix seconds). */
export type TaskState = QueryData;

export interface UploadFile {
  /** Path on disk, streamed (never read whole). */
  path: string;
  /** Name sent to the server (part filename and image_names entry); its extension matters to the server. */
  name: string;
  /** Size in bytes, as hashed; a file whose size changed since is refused before sending. */
  size: number;
  /** The sha256 the plan hashed: verified on every attempt (upload-form.ts); other bytes are refused. */
  sha256: string;
}

export type UploadedImage =
  | { index: number; name: string; ok: true; url: string }
  | { index: number; name: string; ok: false; message: string };

export interface UploadResult {
  batchId: string;
  /** One per file, in the order given (`index` is the position in `files`). */
  images: UploadedImage[];
}

export interface CreateOptions extends CallOptions {
  /** The first attempt's slot at the rate gate, already granted (RetryLoopOptions.firstPermit). */
  firstPermit?: Promise<Permit>;
}

export interface DownloadOptions extends CallOptions {
  expectedSize?: number;
}

export interface BachApi {
  createTask(mode: Mode, body: RequestBody, options?: CreateOptions): Promise<CreatedTask>;
  getTask(mode: Mode, taskId: string, options?: CallOptions): Promise<TaskState>;
  uploadFiles(files: readonly UploadFile[], options?: CallOptions): Promise<UploadResult>;
  /** HEAD without Authorization: 'gone' on 403/404/410. */
  checkUrl(url: string, options?: CallOptions): Promise<'ok' | 'gone'>;
  /** GET without Authorization, streamed to `destPath` (truncated and rewritten on each attempt). */
  download(url: string, destPath: string, options?: DownloadOptions): Promise<{ size: number; sha256: string }>;
  close(): Promise<void>;
}
