import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { iterateMp4Layout } from '../video/index.js';
import { drainBody } from './body.js';
import { applyFaults, type Exchange } from './exchange.js';
import { contentTypeOf } from './image-format.js';
import { createResultLayout } from './results.js';
import type { EmulatorState } from './state.js';

// The emulator's CDN: plain GET and HEAD, no Authorization (bach-api.md: result and CDN URLs are
// fetched without it). Results at /cdn/results/<task id>.mp4, uploads at /cdn/uploads/<id>.<ext>.
// Errors answer like an object store (S3-style XML), not with the API envelope:
//   - a result past resultTtlMs: 403 `Request has expired` (an expired presigned URL);
//   - an upload past uploadTtlMs, or anything unknown: 404 NoSuchKey.
// A single `Range: bytes=…` is honoured (206), so a client can resume a download; bodies stream,
// so a padded result of gigabytes never sits in memory. Faults apply only with faults.cdn.

const RESULT_PATH = /^\/cdn\/results\/([^/]+)\.mp4$/;
const UPLOAD_PATH = /^\/cdn\/uploads\/([0-9a-f]{24})\.([a-z]+)$/;

export async function handleCdn(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  await drainBody(req);
  const exchange: Exchange = { req, res, state, url, accessKey: '', params: {} };
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendStoreError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  const head = req.method === 'HEAD';

  const resultMatch = RESULT_PATH.exec(url.pathname);
  const task = resultMatch ? state.tasks.get(decodeSafe(resultMatch[1]!)) : undefined;
  if (task && task.status === 'TASK_SUCCEEDED') {
    if (!(await applyFaults(exchange, `${req.method} cdn-result ${task.faultKey}`, { create: false, cdn: true }))) return;
    if (state.isResultExpired(task)) return sendStoreError(res, 403, 'AccessDenied', 'Request has expired');
    const layout = createResultLayout(task, state.config.resultPaddingBytes);
    const range = parseRange(req.headers.range, layout.totalSize);
    if (range === 'unsatisfiable') return sendUnsatisfiable(res, layout.totalSize);
    writeHeaders(res, { contentType: 'video/mp4', totalSize: layout.totalSize, range });
    if (head) return void res.end();
    countDownload(state, 'results', range ? range.end - range.start : layout.totalSize);
    const chunks = iterateMp4Layout(layout, range ? { start: range.start, end: range.end } : {});
    return streamBody(Readable.from(chunks, { objectMode: false }), res);
  }

  const uploadMatch = UPLOAD_PATH.exec(url.pathname);
  const upload = uploadMatch ? state.uploads.get(uploadMatch[1]!) : undefined;
  if (upload && upload.ext === uploadMatch![2]) {
    if (!(await applyFaults(exchange, `${req.method} cdn-upload ${upload.sha256}`, { create: false, cdn: true }))) return;
    if (state.isUploadExpired(upload)) return sendNoSuchKey(res);
    const range = parseRange(req.headers.range, upload.size);
    if (range === 'unsatisfiable') return sendUnsatisfiable(res, upload.size);
    writeHeaders(res, { contentType: contentTypeOf(upload.ext), totalSize: upload.size, range });
    if (head) return void res.end();
    countDownload(state, 'uploads', range ? range.end - range.start : upload.size);
    const stream = createReadStream(upload.path, range ? { start: range.start, end: range.end - 1 } : {});
    return streamBody(stream, res);
  }

  if (!(await applyFaults(exchange, `${req.method} ${url.pathname}`, { create: false, cdn: true }))) return;
  sendNoSuchKey(res);
}

/** A single byte range, end exclusive; null for "the whole file" (absent, multi-range or not bytes). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size : Math.min(size, Number(match[2]) + 1);
  if (start >= size || end <= start) return 'unsatisfiable';
  return { start, end };
}

function writeHeaders(res: ServerResponse, input: { contentType: string; totalSize: number; range: { start: number; end: number } | null }): void {
  const { range, totalSize } = input;
  const headers: Record<string, string> = {
    'content-type': input.contentType,
    'accept-ranges': 'bytes',
    'content-length': String(range ? range.end - range.start : totalSize),
    'cache-control': 'private, max-age=0',
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end - 1}/${totalSize}`;
  res.writeHead(range ? 206 : 200, headers);
}

async function streamBody(body: Readable, res: ServerResponse): Promise<void> {
  // A client that hangs up mid-download is not an error of ours.
  await pipeline(body, res).catch(() => {});
}

function countDownload(state: EmulatorState, kind: 'results' | 'uploads', bytes: number): void {
  state.counters.downloads[kind] += 1;
  state.counters.downloads.bytes += bytes;
}

function sendUnsatisfiable(res: ServerResponse, size: number): void {
  res.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': '0' });
  res.end();
}

function sendNoSuchKey(res: ServerResponse): void {
  sendStoreError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
}

function sendStoreError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
