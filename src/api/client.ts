import { rm } from 'node:fs/promises';
import type { Agent, Dispatcher } from 'undici';
import type { Mode } from '../contract/types.js';
import { createTokenSigner } from './auth.js';
import type { Credentials } from './credentials.js';
import { redactSecrets } from './errors.js';
import { createAgent, createRedirectingDispatcher, DEFAULT_TIMEOUTS, type HttpTimeouts, sendRequest } from './http.js';
import type { RateControlOptions } from './rate-control.js';
import { createRateGate, type GatePriority, type Permit, type RateGate } from './rate-gate.js';
import type { RequestBody } from '../contract/create-request.js';
import { type RetryLoopOptions, runWithRetry } from './retry-loop.js';
import { DEFAULT_RETRY_POLICY, type RequestClass, type RetryPolicy } from './retry-policy.js';
import { systemClock, type Clock } from '../util/clock.js';
import { checkUrlOnce, downloadOnce } from './transfer.js';
import type { ApiEvent, ApiRequestKind, BachApi, UploadFile } from './types.js';
import { collectUploadResult, pollUploadBatch } from './upload-batch.js';
import { createUploadForm, type UploadForm } from './upload-form.js';
import {
  batchStatusPath,
  createPath,
  parseBatchData,
  parseCreateData,
  parseEnvelope,
  parseQueryData,
  queryPath,
  UPLOAD_FILES_PATH,
} from './wire.js';

// The Bach API client: what the executor calls. It composes the parts — tokens (auth.ts), the keep-alive
// agent and one attempt (http.ts), the single retry loop (retry-loop.ts) with its pure policy, the shared
// rate gate for API requests, the wire format (wire.ts) — and owns none of their rules.
// Secrets: the secret key and the current token are scrubbed from every message and event text.

export interface ApiClientOptions {
  /** e.g. https://api-gen-na.bach.art/api/vdr (see resolveBaseUrl) */
  baseUrl: string;
  credentials: Credentials;
  /** For tests (MockAgent, an Agent with other options); an injected dispatcher is not closed by close(). */
  dispatcher?: Dispatcher;
  /** Time and chance (util/clock.ts); what is left out is the system's. */
  clock?: Partial<Clock>;
  retry?: Partial<RetryPolicy>;
  rateControl?: Partial<RateControlOptions>;
  /**
   * A rate gate shared with others sending with the same key (the build's gate, shared with its
   * submitter process); not closed by close(). Without one the client paces alone, per `rateControl`.
   */
  gate?: RateGate;
  timeouts?: Partial<HttpTimeouts>;
  tokenTtlSeconds?: number;
  /** Polling of an upload batch the server answered as still running. Default 2000 (the API's advice). */
  uploadPollIntervalMs?: number;
  onEvent?: (event: ApiEvent) => void;
}

/** A token refused for its time is retried with corrected times only when they move by this much. */
const MIN_CLOCK_SHIFT_MS = 2_000;

export function createApiClient(options: ApiClientOptions): BachApi {
  const clock: Clock = { ...systemClock, ...options.clock };
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeouts: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  // Made on the first request: creating them loads undici (api/undici.ts says why that waits).
  let dispatchers: Promise<{ api: Dispatcher; cdn: Dispatcher; own: Agent | undefined }> | undefined;
  const getDispatchers = () =>
    (dispatchers ??= (async () => {
      const own = options.dispatcher ? undefined : await createAgent(timeouts);
      const api = options.dispatcher ?? (own as Dispatcher);
      return { api, cdn: await createRedirectingDispatcher(api), own };
    })());
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const signer = createTokenSigner({
    ...options.credentials,
    now: clock.now,
    ...(options.tokenTtlSeconds === undefined ? {} : { ttlSeconds: options.tokenTtlSeconds }),
  });
  const gate = options.gate ?? createRateGate({ clock, ...(options.rateControl ? { control: options.rateControl } : {}) });
  let closed = false;
  let clockSkewAnnounced = false;

  /**
   * After a 1102 (or a repeated 1103): tokens follow the server's clock; said once per client. A shift
   * under MIN_CLOCK_SHIFT_MS means the clocks already agree (to the Date header's whole second): the
   * refusal has another cause, and retrying would only repeat it.
   */
  const correctClock = (request: ApiRequestKind, serverTimeMs: number): boolean => {
    const { aheadMs, shiftMs } = signer.followServerClock(serverTimeMs);
    if (Math.abs(shiftMs) < MIN_CLOCK_SHIFT_MS) return false;
    if (clockSkewAnnounced) return true;
    clockSkewAnnounced = true;
    // The Date header has whole seconds: the server's clock was up to a second past it, so the middle
    // of that second is the best guess of how far apart the clocks are.
    const seconds = Math.round(Math.abs(aheadMs - 500) / 1000);
    emit({
      type: 'api:clock-skew',
      request,
      attempt: 1,
      delayMs: 0,
      reason:
        `this computer's clock is about ${seconds} s ${aheadMs >= 0 ? 'ahead of' : 'behind'} the API server's, which refused its token's time; ` +
        "tokens are now dated by the server's clock (its Date header). Set this clock right (NTP) to stop relying on that.",
    });
    return true;
  };

  const redact = (text: string): string =>
    redactSecrets(text, [options.credentials.secretKey, signer.currentToken() ?? '']);
  const emit = (event: ApiEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      /* a failing reporter must not fail a paid request */
    }
  };

  function loop(request: ApiRequestKind, requestClass: RequestClass, signal?: AbortSignal, viaGate = true, firstPermit?: Promise<Permit>): RetryLoopOptions {
    if (closed) throw new Error('the API client is closed');
    return {
      request,
      requestClass,
      policy,
      clock,
      emit,
      redact,
      renewToken: () => signer.invalidate(),
      correctClock: (serverTimeMs) => correctClock(request, serverTimeMs),
      ...(signal ? { signal } : {}),
      ...(viaGate ? { gate, priority: gatePriority(request), ...(firstPermit ? { firstPermit } : {}) } : {}),
    };
  }

  interface ApiCall<T> {
    method: 'GET' | 'POST';
    path: string;
    body?: () => Promise<string | UploadForm> | string;
    headersTimeout?: number;
    parse: (data: unknown, url: string | undefined) => T;
  }

  /** One API call through the retry loop: sign, send, parse the envelope, parse the data. */
  function callApi<T>(request: ApiRequestKind, requestClass: RequestClass, call: ApiCall<T>, signal?: AbortSignal, firstPermit?: Promise<Permit>) {
    return runWithRetry(async () => {
      const token = await signer.getToken();
      const body = call.body ? await call.body() : undefined;
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (typeof body === 'string') headers['content-type'] = 'application/json';
      // A streamed body that stopped on a changed file fails the send as a transport error: the
      // file's own error is the one to throw (not retried: the next attempt would stop there again).
      const answer = await sendRequest(
        (await getDispatchers()).api,
        {
          method: call.method,
          url: `${baseUrl}${call.path}`,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(signal ? { signal } : {}),
          ...(call.headersTimeout === undefined ? {} : { headersTimeout: call.headersTimeout }),
        },
        clock.now(),
      ).catch((error: unknown) => {
        throw (typeof body === 'object' ? body.failure() : undefined) ?? error;
      });
      return call.parse(parseEnvelope(answer), answer.url);
    }, loop(request, requestClass, signal, true, firstPermit));
  }

  return {
    async createTask(mode: Mode, body: RequestBody, { signal, firstPermit } = {}) {
      const json = JSON.stringify(body);
      const call = { method: 'POST' as const, path: createPath(mode), body: () => json, parse: parseCreateData };
      const { value, inDoubtRetried } = await callApi('create', 'create', call, signal, firstPermit);
      return { ...value, inDoubtRetried };
    },

    async getTask(mode: Mode, taskId: string, { signal } = {}) {
      if (!taskId) throw new TypeError('getTask: empty task id');
      const parse = (data: unknown, url: string | undefined) => parseQueryData(data, taskId, url);
      const { value } = await callApi('query', 'safe', { method: 'GET', path: queryPath(mode, taskId), parse }, signal);
      return value;
    },

    async uploadFiles(files: readonly UploadFile[], { signal } = {}) {
      if (files.length === 0 || files.length > 300) throw new RangeError(`uploadFiles: ${files.length} files (1–300 per batch)`);
      const submit = await callApi(
        'upload',
        'safe',
        {
          method: 'POST',
          path: UPLOAD_FILES_PATH,
          body: () => createUploadForm(files, signal ? { signal } : {}),
          headersTimeout: timeouts.uploadHeadersMs,
          parse: parseBatchData,
        },
        signal,
      );
      const batch = await pollUploadBatch(submit.value, {
        intervalMs: options.uploadPollIntervalMs ?? 2000,
        sleep: clock.sleep,
        ...(signal ? { signal } : {}),
        fetchStatus: async (batchId) =>
          (await callApi('upload', 'safe', { method: 'GET', path: batchStatusPath(batchId), parse: parseBatchData }, signal)).value,
      });
      return collectUploadResult(batch, files);
    },

    async checkUrl(url: string, { signal } = {}) {
      assertHttpUrl(url, 'checkUrl');
      const { value } = await runWithRetry(async () => checkUrlOnce((await getDispatchers()).cdn, url, signal, clock.now()), loop('check', 'safe', signal, false));
      return value;
    },

    async download(url: string, destPath: string, { signal, expectedSize } = {}) {
      assertHttpUrl(url, 'download');
      const fixed = { url, destPath, ...(signal ? { signal } : {}), ...(expectedSize === undefined ? {} : { expectedSize }) };
      try {
        const { value } = await runWithRetry(
          async () => downloadOnce((await getDispatchers()).cdn, { ...fixed, now: clock.now() }),
          loop('download', 'safe', signal, false),
        );
        return value;
      } catch (error) {
        await rm(destPath, { force: true }).catch(() => {}); // the caller's temp file: no half video left behind
        throw error;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      if (!options.gate) gate.close();
      // A client that never sent anything never loaded undici, and has no agent to close.
      const made = await dispatchers?.catch(() => undefined);
      await made?.own?.close();
    },
  };
}

/** A create first, then uploads, then queries (rate-gate.ts says why). */
function gatePriority(request: ApiRequestKind): GatePriority {
  return request === 'create' ? 'create' : request === 'upload' ? 'upload' : 'query';
}

function assertHttpUrl(url: string, what: string): void {
  if (!/^https?:\/\//i.test(url)) throw new TypeError(`${what}: not an http(s) URL`);
}

