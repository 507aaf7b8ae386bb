import { CODE } from '../contract/business-codes.js';
import { ApiError } from './errors.js';
import { createPath, queryPath } from '../contract/create-request.js';

// The wire format of the Bach API (bach-api.md Part 1): paths, the envelope, the response bodies.
// The only module that knows the server's field names. Decisions, where the contract leaves room:
//
// - Envelope: success is a 2xx status (the contract says 200; a 201 is accepted rather than refused)
//   whose JSON body has business `code` 200 or 0 (Part 2: the docs' example shows 0). A numeric string
//   code ("200") is read as a number. Anything else is an ApiError carrying the HTTP status, the
//   business code and the server's message (truncated, control characters removed).
// - A non-2xx answer without a JSON envelope (a proxy's HTML 502) is an `http` error with the status only.
// - A 2xx whose body is not a JSON envelope is a `protocol` error with outcome `unknown`: the server
//   answered "OK" to something we cannot read, so a create may have happened (see retry-policy.ts).
// - Statuses are compared case-insensitively and a few synonyms are mapped (Part 2 "Practical client
//   guidance"): *SUCC* → TASK_SUCCEEDED; *FAIL*, *ERROR*, *CANCEL* → TASK_FAILED; *PENDING*, *QUEUE*,
//   *WAIT*, *SUBMIT* → TASK_PENDING; *PROCESS*, *RUNNING*, *PROGRESS* → TASK_PROCESSING. `task_status` is a
//   fallback for `status`. A query with any other status is a protocol error (never silently "failed").
// - Create: only `task_id` is required. Once the server has given a task id nothing else may turn the
//   paid-for create into an error: a missing or odd `status` reads as TASK_PENDING, `created_at` is optional.
// - Where the task fields are [decided, issue 14]: the documented envelope carries them in `data`; the
//   seed's sample loop reads `status` from the top level of the answer. So a success envelope's
//   top-level task fields (task_id, status, video_url, …; never `message`, which is the envelope's)
//   fill in whatever `data` lacks (`data` wins where both have one), and a 2xx JSON object without
//   `code` but with a `task_id` is read as the task itself.
// - Query: `task_id` falls back to the id asked for; a TASK_SUCCEEDED needs an http(s) `video_url`
//   (fallbacks `videos[0].url`, `video_urls[0]`), else protocol error. The failure reason is `message`,
//   then `reason`. Times are Unix seconds (numbers, numeric strings or ISO dates are accepted).
// - Batch upload: `images` is required; each entry's `index` (0-based) falls back to its position; an
//   image reported SUCCEEDED without an http(s) `url` counts as failed for that image only.
// - Retry-After: delta-seconds (fractions accepted) or an HTTP date, as milliseconds from `nowMs`.

export const UPLOAD_FILES_PATH = '/batch-upload/submit-with-files';
export const batchStatusPath = (batchId: string): string => `/batch-upload/status/${encodeURIComponent(batchId)}`;
export { createPath, queryPath };

export type TaskStatus = 'TASK_PENDING' | 'TASK_PROCESSING' | 'TASK_SUCCEEDED' | 'TASK_FAILED';

export interface CreateData {
  taskId: string;
  status: TaskStatus;
  createdAt?: number;
}

export interface QueryData {
  taskId: string;
  status: TaskStatus;
  videoUrl?: string;
  message?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface BatchImage {
  index: number;
  name?: string;
  ok: boolean;
  url?: string;
  message?: string;
}

export interface BatchData {
  batchId: string;
  status: TaskStatus;
  total?: number;
  succeeded?: number;
  failed?: number;
  images: BatchImage[];
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** Redacted URL, for messages. */
  url?: string;
  retryAfterMs?: number;
  /** The server's clock (its `Date` header), ms since the epoch: what a token's times are judged by. */
  serverTimeMs?: number;
}

/** The envelope's `data` on success; throws ApiError otherwise. */
export function parseEnvelope(answer: HttpAnswer): unknown {
  const json = parseJson(answer.text);
  const envelope = isRecord(json) ? json : undefined;
  const code = envelope ? readInteger(envelope.code) : undefined;
  const success = answer.status >= 200 && answer.status < 300;
  if (success && code === undefined) {
    if (envelope && readId(envelope.task_id) !== undefined) return envelope; // a bare task, no envelope
    throw protocolError(`HTTP ${answer.status} without a JSON envelope {code, message, data}`, answer.url, 'unknown');
  }
  if (success && (code === CODE.success || code === 0)) return mergeTopLevelTaskFields(envelope ?? {}, envelope?.data ?? null);
  const serverMessage = envelope && typeof envelope.message === 'string' ? cleanText(envelope.message) : '';
  return throwHttpError(answer, code, serverMessage);
}

export function parseCreateData(data: unknown, url?: string): CreateData {
  const record = requireRecord(data, 'create', url, 'unknown');
  const taskId = readId(record.task_id);
  if (taskId === undefined) throw protocolError('the create answer has no task_id', url, 'unknown');
  const createdAt = readTime(record.created_at);
  const status = normalizeTaskStatus(record.status ?? record.task_status) ?? 'TASK_PENDING';
  return createdAt === undefined ? { taskId, status } : { taskId, status, createdAt };
}

export function parseQueryData(data: unknown, requestedTaskId: string, url?: string): QueryData {
  const record = requireRecord(data, 'query', url, 'answered');
  const rawStatus = record.status ?? record.task_status;
  const status = normalizeTaskStatus(rawStatus);
  if (!status) throw protocolError(`unknown task status ${JSON.stringify(rawStatus) ?? 'undefined'}`, url, 'answered');
  const out: QueryData = { taskId: readId(record.task_id) ?? requestedTaskId, status };
  const videoUrl = readVideoUrl(record);
  if (videoUrl) out.videoUrl = videoUrl;
  if (status === 'TASK_SUCCEEDED' && !videoUrl) {
    throw protocolError('the task succeeded but the answer has no http(s) video_url', url, 'answered');
  }
  const message = readText(record.message) ?? readText(record.reason);
  if (message) out.message = message;
  const createdAt = readTime(record.created_at);
  if (createdAt !== undefined) out.createdAt = createdAt;
  const updatedAt = readTime(record.updated_at);
  if (updatedAt !== undefined) out.updatedAt = updatedAt;
  return out;
}

export function parseBatchData(data: unknown, url?: string): BatchData {
  const record = requireRecord(data, 'upload', url, 'answered');
  const batchId = readId(record.batch_id);
  if (batchId === undefined) throw protocolError('the upload answer has no batch_id', url, 'answered');
  const status = normalizeTaskStatus(record.status) ?? 'TASK_SUCCEEDED';
  if (!Array.isArray(record.images)) throw protocolError('the upload answer has no images list', url, 'answered');
  const images = record.images.map((entry, position) => parseBatchImage(entry, position));
  const out: BatchData = { batchId, status, images };
  for (const key of ['total', 'succeeded', 'failed'] as const) {
    const value = readInteger(record[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function normalizeTaskStatus(raw: unknown): TaskStatus | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toUpperCase();
  if (/SUCC/.test(s)) return 'TASK_SUCCEEDED';
  if (/FAIL|ERROR|CANCEL/.test(s)) return 'TASK_FAILED';
  if (/PENDING|QUEUE|WAIT|SUBMIT/.test(s)) return 'TASK_PENDING';
  if (/PROCESS|RUNNING|PROGRESS/.test(s)) return 'TASK_PROCESSING';
  return undefined;
}

/** Retry-After (seconds or HTTP date) as milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Task fields a server may put beside the envelope instead of (or as well as) inside `data`. */
const TOP_LEVEL_TASK_FIELDS = ['task_id', 'status', 'task_status', 'video_url', 'videos', 'video_urls', 'reason', 'created_at', 'updated_at'] as const;

function mergeTopLevelTaskFields(envelope: Record<string, unknown>, data: unknown): unknown {
  const present = TOP_LEVEL_TASK_FIELDS.filter((key) => envelope[key] !== undefined && envelope[key] !== null);
  if (present.length === 0 || (data !== null && !isRecord(data))) return data;
  const merged: Record<string, unknown> = { ...(data ?? {}) };
  for (const key of present) if (merged[key] === undefined || merged[key] === null) merged[key] = envelope[key];
  return merged;
}

function throwHttpError(answer: HttpAnswer, code: number | undefined, serverMessage: string): never {
  throw new ApiError({
    kind: 'http',
    outcome: 'answered',
    status: answer.status,
    ...(code === undefined ? {} : { code }),
    message: serverMessage || `HTTP ${answer.status}`,
    ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
    ...(answer.serverTimeMs === undefined ? {} : { serverTimeMs: answer.serverTimeMs }),
    ...(answer.url === undefined ? {} : { url: answer.url }),
  });
}

function parseBatchImage(entry: unknown, position: number): BatchImage {
  const record = isRecord(entry) ? entry : {};
  const index = readInteger(record.index) ?? position;
  const name = readText(record.name);
  const status = normalizeTaskStatus(record.status);
  const url = readHttpUrl(record.url);
  const base = name === undefined ? { index } : { index, name };
  if (status === 'TASK_SUCCEEDED' && url) return { ...base, ok: true, url };
  const message =
    readText(record.message) ??
    (status === 'TASK_SUCCEEDED' ? 'the server reported success without an http(s) URL' : 'upload failed');
  return { ...base, ok: false, message };
}

function readVideoUrl(record: Record<string, unknown>): string | undefined {
  const direct = readHttpUrl(record.video_url);
  if (direct) return direct;
  if (Array.isArray(record.videos) && isRecord(record.videos[0])) return readHttpUrl(record.videos[0].url);
  if (Array.isArray(record.video_urls)) return readHttpUrl(record.video_urls[0]);
  return undefined;
}

function requireRecord(data: unknown, what: string, url: string | undefined, outcome: 'unknown' | 'answered') {
  if (!isRecord(data)) throw protocolError(`the ${what} answer has no data object`, url, outcome);
  return data;
}

function protocolError(detail: string, url: string | undefined, outcome: 'unknown' | 'answered'): ApiError {
  return new ApiError({ kind: 'protocol', outcome, message: detail, ...(url === undefined ? {} : { url }) });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function readId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function readText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? cleanText(value) : undefined;
}

function readHttpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value.trim()) ? value.trim() : undefined;
}

function readTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** Server text as one safe line: control characters removed, at most 500 characters. */
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > 500 ? `${oneLine.slice(0, 500)}…` : oneLine;
}
