import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { AwsV4Signer } from 'aws4fetch';
import { Agent, type Dispatcher, request } from 'undici';
import type { RetryPolicy } from '../api/retry-policy.js';
import { parseRetryAfter } from '../api/wire.js';
import type { Clock } from '../util/clock.js';
import { sha256Hex } from '../util/hash.js';
import type { CallOptions, DownloadTarget, FileBody, ListPage, RemoteBackend } from './backend.js';
import { createIdleWatchdog } from './idle-watchdog.js';
import { RemoteError } from './remote-error.js';
import { runWithRemoteRetry } from './remote-retry.js';
import { createObjectUrl, fromServerKey, toServerKey, type S3Config } from './s3-config.js';
import { classifyS3Answer, classifyS3Transport } from './s3-errors.js';
import { parseErrorCode, parseListPage } from './s3-xml.js';
import type { RemoteTimeouts } from './timeouts.js';
import { LocalWriteError, ObjectTooLargeError, streamToFile } from './stream-to-file.js';

// The S3 backend: undici for the requests and aws4fetch only to sign them (SigV4). Why this pair:
// - aws4fetch is 88 KB with no dependencies and imports in ~0.1 s; @aws-sdk/client-s3 is 22 MB in 27
//   packages, imports in ~0.8 s and prints a Node-version deprecation warning users must never see.
// - Node's global fetch buffers a streamed request body whole (a 200 MB upload added 231 MB of memory),
//   so bodies go through undici.request, which streams. We use AwsV4Signer directly: AwsClient.fetch
//   would use the global fetch and retry 10 times on its own.
// This module is imported only when a run uses an s3:// remote (open-team-cache.ts imports it lazily).
//
// Every request has its own bounds: connect timeout, a timeout for the response headers, an idle
// timeout between response chunks, and a watchdog on streamed uploads (a full Ceph store accepts the
// connection and never answers). Every PUT here is a single request with `If-None-Match: *` (never
// multipart: Ceph ignores the condition when completing one) and a signed payload hash
// (`x-amz-content-sha256`), so the server itself refuses bytes that are not the ones we hashed.

export interface S3BackendOptions {
  config: S3Config;
  clock: Clock;
  timeouts: RemoteTimeouts;
  retryPolicy: RetryPolicy;
}

interface SendInit {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  key: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Bytes, or a fresh stream per attempt (with its length and sha256 in the headers). */
  body?: Uint8Array | (() => Readable);
  /** Hex sha256 of the body, signed (the server verifies it); none: UNSIGNED-PAYLOAD. */
  bodySha256?: string;
  writing: boolean;
  signal?: AbortSignal | undefined;
}

const MAX_ERROR_BODY = 64 * 1024;
const MAX_LIST_BODY = 8 * 1024 * 1024;

export function createS3Backend(options: S3BackendOptions): RemoteBackend {
  const { config, clock, timeouts } = options;
  const display = config.display;
  const agent = new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.idleMs,
    keepAliveTimeout: 4_000,
    connections: 32,
  });
  const signingCache = new Map<string, ArrayBuffer>();
  let requests = 0;
  let offsetMs: number | undefined;
  let bucketConfirmed = false;

  const retry = <T>(signal: AbortSignal | undefined, attempt: () => Promise<T>) =>
    runWithRemoteRetry(attempt, { policy: options.retryPolicy, clock, signal });

  /** One attempt: signs, sends, returns the response (any status). Transport failures become RemoteErrors. */
  async function send(init: SendInit): Promise<Dispatcher.ResponseData> {
    const url = createObjectUrl(config, init.key, init.query);
    const headers: Record<string, string> = { ...init.headers };
    if (init.bodySha256 !== undefined) headers['x-amz-content-sha256'] = init.bodySha256;
    const signed = await signHeaders(init.method, url, headers);
    let body: Uint8Array | Readable | null = null;
    let watchdogSignal: AbortSignal | undefined;
    let sourceError: unknown;
    if (init.body instanceof Uint8Array) body = init.body;
    else if (init.body !== undefined) {
      const controller = new AbortController();
      const watchdog = createIdleWatchdog(timeouts.idleMs, () => {
        const error = new RemoteError({
          kind: 'timeout',
          remote: display,
          detail: `the server stopped taking the upload for ${Math.round(timeouts.idleMs / 1000)} s`,
          advice: 'is the store full or overloaded?',
          outcome: 'unknown',
          ...(init.key === null ? {} : { key: init.key }),
        });
        controller.abort(error);
        return error;
      });
      const source = init.body();
      source.once('error', (error) => {
        sourceError = error;
      });
      body = pipeline(source, watchdog, () => {});
      watchdogSignal = controller.signal;
    }
    const signals = [init.signal, watchdogSignal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    requests += 1;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { dispatcher: agent, method: init.method, headers: signed, body, signal });
    } catch (error) {
      if (sourceError !== undefined) {
        const detail = `cannot read the file to upload: ${sourceError instanceof Error ? sourceError.message : String(sourceError)}`;
        throw new RemoteError({ kind: 'local', remote: display, detail, outcome: 'unknown', cause: sourceError, ...(init.key === null ? {} : { key: init.key }) });
      }
      const reason = watchdogSignal?.aborted ? watchdogSignal.reason : error;
      throw classifyS3Transport(reason, init.signal, display, url, init.key ?? undefined);
    }
    noteServerTime(response.headers.date);
    if (response.statusCode >= 200 && response.statusCode < 300) bucketConfirmed = true;
    return response;
  }

  async function signHeaders(method: string, url: string, headers: Record<string, string>): Promise<Record<string, string>> {
    if (config.credentials === null) return headers;
    const signer = new AwsV4Signer({
      method,
      url,
      headers,
      accessKeyId: config.credentials.accessKeyId,
      secretAccessKey: config.credentials.secretAccessKey,
      ...(config.credentials.sessionToken === undefined ? {} : { sessionToken: config.credentials.sessionToken }),
      service: 's3',
      region: config.region,
      cache: signingCache,
    });
    const { headers: signed } = await signer.sign();
    return Object.fromEntries(signed.entries());
  }

  /**
   * The server's clock, from its `Date` header. The header is whole seconds and was written before the
   * answer reached us, so each reading is at most ~1 s behind the truth, never ahead: the largest
   * offset seen is the best estimate. A reading 5 s below it means our clock was set (NTP): start over.
   */
  function noteServerTime(date: string | string[] | undefined): void {
    const text = Array.isArray(date) ? date[0] : date;
    const serverMs = text === undefined ? Number.NaN : Date.parse(text);
    if (!Number.isFinite(serverMs)) return;
    const observed = serverMs - clock.now();
    if (offsetMs === undefined || observed > offsetMs || observed < offsetMs - 5_000) offsetMs = observed;
  }

  /** A non-2xx answer as a RemoteError (reads the error document for its code). */
  async function refuse(response: Dispatcher.ResponseData, key: string | null, writing: boolean): Promise<RemoteError> {
    const text = await readText(response.body, MAX_ERROR_BODY).catch(() => '');
    return classifyS3Answer(response.statusCode, parseErrorCode(text), {
      display,
      bucket: config.bucket,
      key: key ?? undefined,
      writing,
      anonymous: config.credentials === null,
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], clock.now()),
    });
  }

  /**
   * HEAD answers carry no error document. When one is refused, or says 404 before we know the bucket
   * exists, the same key is asked for with GET (one byte) to learn the server's code.
   */
  async function explainHead(key: string, signal: AbortSignal | undefined): Promise<RemoteError | null> {
    const response = await send({ method: 'GET', key, headers: { range: 'bytes=0-0' }, writing: false, signal });
    if (response.statusCode === 404) {
      const error = await refuse(response, key, false);
      if (error.kind === 'missing') return error;
      bucketConfirmed = true;
      return null;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      await response.body.dump().catch(() => {});
      return null;
    }
    return refuse(response, key, false);
  }

  return {
    kind: 's3',
    display,
    listPageSize: 1000,
    now: () => clock.now() + (offsetMs ?? 0),
    requestCount: () => requests,

    head: (key, callOptions?: CallOptions) =>
      retry(callOptions?.signal, async () => {
        const response = await send({ method: 'HEAD', key, writing: false, signal: callOptions?.signal });
        await response.body.dump().catch(() => {});
        const status = response.statusCode;
        if (status >= 200 && status < 300) return { size: Number(response.headers['content-length'] ?? 0) };
        if (status === 404) {
          if (bucketConfirmed) return null;
          const error = await explainHead(key, callOptions?.signal);
          if (error) throw error;
          return null;
        }
        if (status === 429 || status >= 500) throw classifyS3Answer(status, undefined, { display, bucket: config.bucket, key, writing: false, anonymous: config.credentials === null });
        throw (await explainHead(key, callOptions?.signal)) ?? classifyS3Answer(status, undefined, { display, bucket: config.bucket, key, writing: false, anonymous: config.credentials === null });
      }),

    readSmall: (key, maxBytes, callOptions?: CallOptions) =>
      retry(callOptions?.signal, async () => {
        const response = await getObject(key, callOptions?.signal);
        if (response === null) return null;
        try {
          return await readBytes(response.body, maxBytes);
        } catch (error) {
          if (error instanceof ObjectTooLargeError) {
            throw new RemoteError({ kind: 'corrupt', remote: display, key, detail: `the object is larger than the ${maxBytes} bytes a record may have`, advice: 'remove it' });
          }
          throw classifyS3Transport(error, callOptions?.signal, display, key, key);
        }
      }),

    download: (key, target: DownloadTarget, callOptions?: CallOptions) =>
      retry(callOptions?.signal, async () => {
        const response = await getObject(key, callOptions?.signal);
        if (response === null) return null;
        try {
          return await streamToFile(response.body, target, [], callOptions?.signal);
        } catch (error) {
          if (error instanceof LocalWriteError) throw new RemoteError({ kind: 'local', remote: display, key, detail: error.message, advice: 'check the disk space and permissions of the project folder', cause: error });
          if (error instanceof ObjectTooLargeError) throw new RemoteError({ kind: 'corrupt', remote: display, key, detail: error.message, advice: 'remove the object; the next push writes it again' });
          throw classifyS3Transport(error, callOptions?.signal, display, key, key);
        }
      }),

    createSmall: (key, bytes, callOptions?: CallOptions) =>
      retry(callOptions?.signal, () => putIfAbsent(key, 'application/json', bytes.length, bytes, sha256Hex(bytes), callOptions?.signal)),

    createFromFile: (key, body: FileBody, callOptions?: CallOptions) =>
      retry(callOptions?.signal, () => putIfAbsent(key, 'video/mp4', body.size, () => createReadStream(body.path), body.sha256, callOptions?.signal)),

    remove: (key, callOptions?: CallOptions) =>
      retry(callOptions?.signal, async () => {
        const response = await send({ method: 'DELETE', key, writing: true, signal: callOptions?.signal });
        if (response.statusCode === 404 || (response.statusCode >= 200 && response.statusCode < 300)) {
          await response.body.dump().catch(() => {});
          return;
        }
        throw await refuse(response, key, true);
      }),

    list: (prefix, startAfter, maxKeys, callOptions?: CallOptions) =>
      retry(callOptions?.signal, async (): Promise<ListPage> => {
        const query: Record<string, string> = {
          'list-type': '2',
          prefix: toServerKey(config, prefix),
          'max-keys': String(Math.min(1000, maxKeys)),
          'encoding-type': 'url',
        };
        if (startAfter !== undefined) query['start-after'] = toServerKey(config, startAfter);
        const response = await send({ method: 'GET', key: null, query, writing: false, signal: callOptions?.signal });
        if (response.statusCode < 200 || response.statusCode >= 300) throw await refuse(response, null, false);
        let text: string;
        try {
          text = await readText(response.body, MAX_LIST_BODY);
        } catch (error) {
          throw classifyS3Transport(error, callOptions?.signal, display, prefix);
        }
        const page = parseListPage(text);
        if (!page) throw new RemoteError({ kind: 'server', remote: display, detail: 'the answer to a LIST is not a ListBucketResult', advice: 'is the endpoint an S3 server?' });
        const keys = page.keys.map((serverKey) => fromServerKey(config, serverKey)).filter((key): key is string => key?.startsWith(prefix) === true);
        return { keys, truncated: page.truncated };
      }),

    close: () => agent.close(),
  };

  /** GET of an object: null when it is not there (a missing bucket is an error), any other refusal thrown. */
  async function getObject(key: string, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData | null> {
    const response = await send({ method: 'GET', key, writing: false, signal });
    if (response.statusCode === 404) {
      const error = await refuse(response, key, false);
      if (error.kind === 'missing') throw error;
      return null;
    }
    if (response.statusCode < 200 || response.statusCode >= 300) throw await refuse(response, key, false);
    return response;
  }

  /** One attempt of a conditional create: a single PUT with If-None-Match and the signed content hash. */
  async function putIfAbsent(
    key: string,
    contentType: string,
    length: number,
    body: Uint8Array | (() => Readable),
    sha256: string,
    signal: AbortSignal | undefined,
  ): Promise<'created' | 'exists'> {
    const headers = { 'if-none-match': '*', 'content-type': contentType, 'content-length': String(length) };
    const response = await send({ method: 'PUT', key, headers, body, bodySha256: sha256, writing: true, signal });
    if (response.statusCode >= 200 && response.statusCode < 300) {
      await response.body.dump().catch(() => {});
      return 'created';
    }
    if (response.statusCode === 412) {
      await response.body.dump().catch(() => {});
      return 'exists';
    }
    throw await refuse(response, key, true);
  }
}

async function readBytes(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new ObjectTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  return (await readBytes(body, maxBytes)).toString('utf8');
}
