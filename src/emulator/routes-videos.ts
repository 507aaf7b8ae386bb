import type { AspectRatio, Resolution } from '../contract/types.js';
import { CREATE_BODY_LIMIT, NOT_A_JSON_OBJECT, parseJsonObject, readBody } from './body.js';
import { ApiFailure, sendJson } from './envelope.js';
import { applyFaults, dropConnection, type Exchange } from './exchange.js';
import { createRequestFingerprint, fingerprintRawBody } from './fingerprint.js';
import { countFault, countKey } from './stats.js';
import { createCreateTaskData, createTaskData, createTaskEnvelope } from './task-data.js';
import { listImageUrls, validateCreateBody, type CreateBody, type Endpoint } from './validate-create.js';
import { CODE } from '../contract/business-codes.js';

// The generation endpoints: create (POST /videos/{mode}, and POST /submit, the seed's sample code's
// path, whose mode comes from the body) and query (GET /videos/{mode}/{id}, and GET /status/{id} for
// any mode). Every task answer (create, query, callback) is the documented envelope plus `task_id` and
// `status` at the top level, where the seed's polling loop reads them (task-data.ts). A create
// request goes through, in order:
//   faults (keyed by the request fingerprint) → JSON object? → parameter rules (1000)
//   → sensitive words (1001) → plan: duration (1300), resolution (1301) → credits (1302) → task.
// Tasks belong to the access key that created them: another key gets 404/1200. A query on the
// mode path of another mode is 404/1200 too; /status/{id} answers for any mode.

export const INJECTED_FAILURE_MESSAGE = 'Video generation failed (emulator fault injection).';

export async function handleCreate(exchange: Exchange): Promise<void> {
  const raw = await readBody(exchange.req, CREATE_BODY_LIMIT);
  return createTask(exchange, exchange.params.endpoint as Endpoint, raw, parseJsonObject(raw));
}

/** POST /submit: the seed's `create_video_task`. The same create, the mode decided by the body. */
export async function handleSubmit(exchange: Exchange): Promise<void> {
  const raw = await readBody(exchange.req, CREATE_BODY_LIMIT);
  const body = parseJsonObject(raw);
  return createTask(exchange, decideSubmitEndpoint(body), raw, body);
}

/**
 * The mode of a POST /submit [decided]: no `image_url` (absent or null) is text-to-video, a string is
 * image-to-video, a list is multi-image-to-video. Any other value is image-to-video, whose own rule
 * then answers `Image URL must be a valid HTTP or HTTPS URL`; a body that is not a JSON object is
 * text-to-video, refused as such.
 */
function decideSubmitEndpoint(body: CreateBody | null): Endpoint {
  const imageUrl = body?.image_url;
  if (imageUrl === undefined || imageUrl === null) return 'text2video';
  return Array.isArray(imageUrl) ? 'multi2video' : 'image2video';
}

async function createTask(exchange: Exchange, endpoint: Endpoint, raw: Buffer, body: CreateBody | null): Promise<void> {
  const { state } = exchange;
  const lookupUpload = (url: string) => state.uploads.findByUrl(url)?.sha256;
  const fingerprint = body ? createRequestFingerprint(endpoint, body, lookupUpload) : fingerprintRawBody(endpoint, raw);

  const decision = await applyFaults(exchange, fingerprint, { create: true, cdn: false });
  if (!decision) return;
  if (!body) throw new ApiFailure(CODE.invalidParameter, NOT_A_JSON_OBJECT);
  const problem = validateCreateBody(body, endpoint);
  if (problem !== null) throw new ApiFailure(CODE.invalidParameter, problem);
  checkAccount(exchange, body);

  const duration = body.duration as number;
  state.credits.spent += duration;
  if (state.credits.remaining !== null) state.credits.remaining -= duration;
  if (decision.taskFailed) countFault(state.counters, 'taskFailed');
  const task = state.tasks.create({
    accessKey: exchange.accessKey,
    endpoint,
    fingerprint,
    faultKey: `${fingerprint}#${decision.occurrence}`,
    durationSeconds: duration,
    resolution: body.resolution as Resolution,
    aspectRatio: (body.aspect_ratio ?? '16:9') as AspectRatio,
    prompt: typeof body.prompt === 'string' ? body.prompt : null,
    seed: typeof body.seed === 'number' ? body.seed : null,
    injectedFailure: decision.taskFailed ? INJECTED_FAILURE_MESSAGE : null,
    callbackUrl: typeof body.callback_url === 'string' && body.callback_url !== '' ? body.callback_url : null,
    imageUrls: listImageUrls(body, endpoint),
  });
  const submissions = state.counters.submissions;
  submissions.total += 1;
  submissions.byMode[endpoint] += 1;
  countKey(submissions.byFingerprint, fingerprint);
  state.log(`task ${task.id} created (${endpoint}, ${duration} s, fingerprint ${fingerprint.slice(0, 12)})`);

  if (decision.dropAfterCreate) {
    countFault(state.counters, 'dropAfterCreate');
    dropConnection(exchange);
    return;
  }
  sendJson(exchange.res, 200, createTaskEnvelope(createCreateTaskData(task)));
}

export async function handleQuery(exchange: Exchange): Promise<void> {
  const { state, params } = exchange;
  const taskId = params.taskId ?? '';
  const task = state.tasks.get(taskId);
  const visible = task && task.accessKey === exchange.accessKey && (params.endpoint === undefined || task.endpoint === params.endpoint);
  // Task ids are random; the task's stable key makes poll faults repeat from run to run.
  const route = params.endpoint === undefined ? 'status' : `videos/${params.endpoint}`;
  const requestKey = visible ? `GET ${route} task:${task.faultKey}` : `GET ${exchange.url.pathname}`;
  if (!(await applyFaults(exchange, requestKey, { create: false, cdn: false }))) return;

  if (taskId.trim() === '') throw new ApiFailure(CODE.invalidParameter, 'Task Id is required.');
  if (!visible) throw new ApiFailure(CODE.notFound);
  sendJson(exchange.res, 200, createTaskEnvelope(createTaskData(state, task)));
}

/** Business checks after the parameters are valid: sensitive words, plan limits, credits. */
function checkAccount(exchange: Exchange, body: CreateBody): void {
  const { config, credits } = exchange.state;
  const texts = [body.prompt, body.negative_prompt, body.audio_prompt]
    .filter((text): text is string => typeof text === 'string')
    .map((text) => text.toLowerCase());
  if (config.sensitiveWords.some((word) => texts.some((text) => text.includes(word.toLowerCase())))) {
    throw new ApiFailure(CODE.sensitiveContent);
  }
  const duration = body.duration as number;
  if (config.plan.maxDuration !== undefined && duration > config.plan.maxDuration) throw new ApiFailure(CODE.durationNotInPlan);
  if (config.plan.resolutions !== undefined && !config.plan.resolutions.includes(body.resolution as Resolution)) {
    throw new ApiFailure(CODE.resolutionNotInPlan);
  }
  if (credits.remaining !== null && credits.remaining < duration) throw new ApiFailure(CODE.insufficientCredits);
}
