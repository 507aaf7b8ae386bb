import { createHash } from 'node:crypto';
import { createBatchData, type BatchImage } from './batches.js';
import { drainBody } from './body.js';
import { ApiFailure, sendEnvelope } from './envelope.js';
import { applyFaults, type Exchange } from './exchange.js';
import { extensionOf, isUploadFormat } from './image-format.js';
import { boundaryOf, createMultipartParser, MultipartError, type PartInfo } from './multipart.js';
import { countBatchImages } from './stats.js';
import type { UploadWriter } from './uploads.js';
import { MAX_IMAGES, REQUEST_MESSAGES, validateFilesRequest, validateReceivedFile } from './validate-upload.js';
import { CODE } from '../contract/business-codes.js';

// POST /batch-upload/submit-with-files: synchronous multipart upload. Parts are streamed to disk as
// they arrive (repeated `files`, optional repeated `image_names`, optional `batch_id`; other fields
// are ignored). Files past the 300th are read and dropped, so the answer is the request-level error
// rather than a reset connection. The request's fault key is a hash of the parts' names and contents
// (not of the raw body, whose boundary is random). Decided: a body that is not multipart/form-data
// is treated as one without files (`The upload file list cannot be empty.`); a malformed multipart
// body is 400/1000 `Malformed multipart body.`

export const MALFORMED_MULTIPART = 'Malformed multipart body.';
const TEXT_FIELD_LIMIT = 4096;

interface ReceivedPart {
  filename: string;
  writer: UploadWriter;
  size: number;
  sha256: string;
  head: Buffer;
}

export async function handleUploadFiles(exchange: Exchange): Promise<void> {
  const { state, req } = exchange;
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) {
    await drainBody(req);
    if (!(await applyFaults(exchange, `POST upload-files not-multipart`, { create: false, cdn: false }))) return;
    throw new ApiFailure(CODE.invalidParameter, REQUEST_MESSAGES.noFiles);
  }

  const received = await receiveParts(exchange, boundary);
  const discardAll = () => Promise.all(received.files.map((file) => file.writer.discard()));
  if ('error' in received) {
    await discardAll();
    throw new ApiFailure(CODE.invalidParameter, received.error);
  }

  const decision = await applyFaults(exchange, `POST upload-files ${received.contentKey}`, { create: false, cdn: false });
  const requestProblem = validateFilesRequest(received.fileCount, received.names.length);
  if (!decision || requestProblem !== null) {
    await discardAll();
    if (!decision) return;
    throw new ApiFailure(CODE.invalidParameter, requestProblem!);
  }

  const images: BatchImage[] = [];
  for (const [index, file] of received.files.entries()) {
    const name = received.names[index]?.trim() || file.filename;
    const problem = validateReceivedFile({ n: index + 1, filename: file.filename, size: file.size, head: file.head });
    if (problem !== null) {
      await file.writer.discard();
      images.push({ index, name, status: 'FAILED', message: problem });
      continue;
    }
    const upload = file.writer.commit();
    state.counters.uploads.bytes += upload.size;
    images.push({ index, name, status: 'SUCCEEDED', url: state.uploads.urlOf(upload) });
  }
  const batch = state.batches.create({
    id: received.batchId,
    accessKey: exchange.accessKey,
    faultKey: `${received.contentKey}#${decision.occurrence}`,
    total: images.length,
    status: 'TASK_SUCCEEDED',
  });
  batch.images = images;
  countBatchImages(state.counters, images);
  sendEnvelope(exchange.res, CODE.success, createBatchData(batch));
}

type Received =
  | { files: ReceivedPart[]; fileCount: number; names: string[]; batchId: string | undefined; contentKey: string }
  | { files: ReceivedPart[]; error: string };

async function receiveParts(exchange: Exchange, boundary: string): Promise<Received> {
  const parser = createMultipartParser(boundary);
  const files: ReceivedPart[] = [];
  const names: string[] = [];
  let batchId: string | undefined;
  let fileCount = 0;
  const contentKey = createHash('sha256');
  let current: { part: PartInfo; file?: ReceivedPart; text?: Buffer[]; textSize: number } | null = null;

  // A malformed body is read to its end all the same (leaving a for-await loop early would
  // destroy the request, and the client would see a reset instead of the answer).
  let malformed = false;
  const parse = (chunk: Buffer) => {
    try {
      return parser.write(chunk);
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      malformed = true;
      return [];
    }
  };
  try {
    for await (const chunk of exchange.req as AsyncIterable<Buffer>) {
      if (malformed) continue;
      for (const event of parse(chunk)) {
        if (event.type === 'part') {
          current = { part: event.part, textSize: 0 };
          if (event.part.name === 'files') {
            fileCount += 1;
            if (fileCount <= MAX_IMAGES) current.file = await openFile(exchange, event.part.filename ?? '');
            if (current.file) files.push(current.file);
          } else if (event.part.name === 'image_names' || event.part.name === 'batch_id') {
            current.text = [];
          }
        } else if (event.type === 'data' && current) {
          if (current.file) await current.file.writer.write(event.data);
          else if (current.text && current.textSize < TEXT_FIELD_LIMIT) current.text.push(event.data);
          current.textSize += event.data.length;
        } else if (event.type === 'part-end' && current) {
          await finishPart(current, names, contentKey, (id) => (batchId = id));
          current = null;
        }
      }
    }
    if (!malformed) parser.end();
  } catch (error) {
    if (error instanceof MultipartError) return { files, error: MALFORMED_MULTIPART };
    await Promise.all(files.map((file) => file.writer.discard()));
    throw error;
  }
  if (malformed) return { files, error: MALFORMED_MULTIPART };
  return { files, fileCount, names, batchId, contentKey: contentKey.digest('hex') };
}

async function openFile(exchange: Exchange, filename: string): Promise<ReceivedPart> {
  const ext = extensionOf(filename);
  // The stored file's extension is only used once the image passes its checks.
  const writer = await exchange.state.uploads.createWriter(ext !== null && isUploadFormat(ext) ? ext.toLowerCase() : 'bin');
  return { filename, writer, size: 0, sha256: '', head: Buffer.alloc(0) };
}

async function finishPart(
  current: { part: PartInfo; file?: ReceivedPart; text?: Buffer[] },
  names: string[],
  contentKey: ReturnType<typeof createHash>,
  setBatchId: (id: string) => void,
): Promise<void> {
  const { part, file, text } = current;
  if (file) {
    const summary = await file.writer.finish();
    Object.assign(file, { size: summary.size, sha256: summary.sha256, head: summary.head });
    contentKey.update(`file\0${file.filename}\0${summary.sha256}\0${summary.size}\n`);
  } else if (text) {
    const value = Buffer.concat(text).toString('utf8');
    if (part.name === 'image_names') names.push(value);
    else if (value.trim() !== '') setBatchId(value.trim());
    contentKey.update(`${part.name}\0${value}\n`);
  }
}
