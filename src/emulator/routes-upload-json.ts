import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import { createBatchData, type Batch, type BatchImage } from './batches.js';
import { NOT_A_JSON_OBJECT, parseJsonObject, readBody, UPLOAD_JSON_BODY_LIMIT } from './body.js';
import { isLoopbackUrl } from './callbacks.js';
import { ApiFailure, sendEnvelope } from './envelope.js';
import { applyFaults, type Exchange } from './exchange.js';
import type { EmulatorState } from './state.js';
import { countBatchImages } from './stats.js';
import { planJsonImage, validateFetchedImage, validateJsonUploadRequest } from './validate-upload.js';
import { CODE } from '../contract/business-codes.js';

// POST /batch-upload/submit: asynchronous JSON upload of url or base64 images. The answer comes at
// once (TASK_PENDING, no images yet); the images are then processed one by one in the background
// (TASK_PROCESSING) and the batch ends TASK_SUCCEEDED once every image has an outcome; poll
// GET /batch-upload/status/{batch_id}. Decided: the emulator fetches url images only from loopback
// addresses (it must not reach out to the internet); another host fails that image with
// `The {n}th image URL could not be fetched: the emulator only fetches loopback URLs.`

const FETCH_TIMEOUT_MS = 30_000;

export async function handleUploadJson(exchange: Exchange): Promise<void> {
  const raw = await readBody(exchange.req, UPLOAD_JSON_BODY_LIMIT);
  const body = parseJsonObject(raw);
  const contentKey = sha256Hex(body ? canonicalJson(body) : raw);
  const decision = await applyFaults(exchange, `POST upload-json ${contentKey}`, { create: false, cdn: false });
  if (!decision) return;
  if (!body) throw new ApiFailure(CODE.invalidParameter, NOT_A_JSON_OBJECT);
  const problem = validateJsonUploadRequest(body);
  if (problem !== null) throw new ApiFailure(CODE.invalidParameter, problem);

  const images = body.images as unknown[];
  const batch = exchange.state.batches.create({
    id: typeof body.batch_id === 'string' && body.batch_id.trim() !== '' ? body.batch_id.trim() : undefined,
    accessKey: exchange.accessKey,
    faultKey: `${contentKey}#${decision.occurrence}`,
    total: images.length,
    status: 'TASK_PENDING',
  });
  sendEnvelope(exchange.res, CODE.success, createBatchData(batch));
  const uploadType = body.upload_type as 'url' | 'base64';
  setImmediate(() => {
    processBatch(exchange.state, batch, images, uploadType).catch((error: unknown) => {
      exchange.state.log(`batch ${batch.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      batch.status = 'TASK_FAILED';
    });
  });
}

async function processBatch(state: EmulatorState, batch: Batch, images: unknown[], uploadType: 'url' | 'base64'): Promise<void> {
  if (state.closing.aborted) return;
  batch.status = 'TASK_PROCESSING';
  for (const [index, image] of images.entries()) {
    if (state.closing.aborted) return;
    batch.images.push(await processImage(state, image, index, uploadType));
  }
  batch.status = 'TASK_SUCCEEDED';
  countBatchImages(state.counters, batch.images);
}

async function processImage(state: EmulatorState, image: unknown, index: number, uploadType: 'url' | 'base64'): Promise<BatchImage> {
  const n = index + 1;
  const plan = planJsonImage(image, n, uploadType);
  if (!plan.ok) return { index, name: plan.name, status: 'FAILED', message: plan.message };
  const writer = await state.uploads.createWriter(plan.ext);
  try {
    if (plan.kind === 'base64') {
      await writer.write(plan.bytes);
    } else {
      const fetchProblem = await fetchInto(state, plan.url, n, (chunk) => writer.write(chunk));
      if (fetchProblem !== null) {
        await writer.discard();
        return { index, name: plan.name, status: 'FAILED', message: fetchProblem };
      }
    }
    const summary = await writer.finish();
    const problem = validateFetchedImage(n, plan.name, summary.size, summary.head);
    if (problem !== null) {
      await writer.discard();
      return { index, name: plan.name, status: 'FAILED', message: problem };
    }
    const upload = writer.commit();
    state.counters.uploads.bytes += upload.size;
    return { index, name: plan.name, status: 'SUCCEEDED', url: state.uploads.urlOf(upload) };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

/** Streams a loopback URL into `write`; the failure message, or null. */
async function fetchInto(state: EmulatorState, url: string, n: number, write: (chunk: Uint8Array) => Promise<void>): Promise<string | null> {
  const prefix = `The ${n}th image URL could not be fetched:`;
  if (!isLoopbackUrl(url)) return `${prefix} the emulator only fetches loopback URLs.`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.any([state.closing, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) });
  } catch {
    return `${prefix} connection failed.`;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return `${prefix} HTTP ${response.status}.`;
  }
  for await (const chunk of response.body) await write(chunk);
  return null;
}
