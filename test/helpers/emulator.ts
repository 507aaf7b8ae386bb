import { SignJWT } from 'jose';
import { onTestFinished } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type EmulatorStats } from '../../src/emulator/index.js';

// A real emulator on 127.0.0.1 for one test: `const emu = await useEmulator({ processingMs: 50 })`.
// It listens on a free port, uses short processing times unless told otherwise, and is closed when
// the test finishes. `emu.call(...)` sends a signed request and returns status, headers and JSON;
// `emu.stats()` reads the counters (or GET /_emulator/stats through `emu.adminStats()`).

export interface TestEmulator extends Emulator {
  /** A token signed the seed's way (HS256, nbf = now − 5 s, exp = now + 10 days) for the first key. */
  token(options?: TokenOptions): Promise<string>;
  /** A request under /api/vdr with `Authorization: Bearer <token>` (unless `auth: null`). */
  call(method: string, path: string, init?: CallInit): Promise<ApiAnswer>;
  /** Polls a task until it reaches `status` (default: any terminal status); returns its data. */
  waitForTask(taskId: string, options?: WaitOptions): Promise<Record<string, any>>;
  adminStats(): Promise<EmulatorStats>;
}

export interface TokenOptions {
  accessKey?: string;
  secretKey?: string;
  /** Seconds relative to now. Default −5. */
  nbf?: number;
  /** Seconds relative to now. Default 10 days. */
  exp?: number;
  alg?: string;
}

export interface WaitOptions {
  /** Wait for this status; default: TASK_SUCCEEDED or TASK_FAILED. */
  status?: string;
  /** Poll GET /videos/{mode}/{id} instead of GET /status/{id}. */
  mode?: string;
  /** An Authorization header value (another key). */
  auth?: string;
  timeoutMs?: number;
}

export interface CallInit {
  /** A JSON value (sent as application/json), a string, bytes or FormData. */
  body?: unknown;
  headers?: Record<string, string>;
  /** null: no Authorization header; a string: that header value verbatim. */
  auth?: string | null;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (null when the body is not JSON). */
  json: { code: number; message: string; data: any } | null;
  text: string;
}

export const TEST_DEFAULTS: EmulatorOptions = { processingMs: 50 };

export async function useEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ ...TEST_DEFAULTS, ...options });
  onTestFinished(() => emulator.close());
  return extendEmulator(emulator);
}

export function extendEmulator(emulator: Emulator): TestEmulator {
  const token = (options: TokenOptions = {}) =>
    signToken({ accessKey: emulator.accessKey, secretKey: emulator.secretKey, ...options });
  const call = async (method: string, path: string, init: CallInit = {}): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.auth === undefined) headers.authorization = `Bearer ${await token()}`;
    else if (init.auth !== null) headers.authorization = init.auth;
    let body: RequestInit["body"];
    if (init.body instanceof FormData || typeof init.body === 'string' || init.body instanceof Uint8Array) {
      body = init.body as RequestInit["body"];
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
    const text = await response.text();
    let json: ApiAnswer['json'] = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  // Adds the helpers to the emulator itself, so its getters (accessKey after configure) stay live.
  return Object.assign(emulator, {
    token,
    call,
    async waitForTask(taskId: string, options: WaitOptions = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 20_000);
      const path = options.mode ? `/videos/${options.mode}/${taskId}` : `/status/${taskId}`;
      for (;;) {
        const answer = await call('GET', path, options.auth ? { auth: options.auth } : {});
        if (answer.status !== 200) throw new Error(`polling task ${taskId}: HTTP ${answer.status} ${answer.text}`);
        const data = answer.json?.data as Record<string, any> | undefined;
        const status = data?.status as string | undefined;
        if (status && (options.status ? status === options.status : status === 'TASK_SUCCEEDED' || status === 'TASK_FAILED')) return data!;
        if (Date.now() > deadline) throw new Error(`task ${taskId} did not reach ${options.status ?? 'a terminal status'}: ${answer.text}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async adminStats() {
      const response = await fetch(`${emulator.origin}/_emulator/stats`);
      return (await response.json()) as EmulatorStats;
    },
  });
}

/** Signs a token the seed's way; every field can be overridden to build bad tokens. */
export async function signToken(options: TokenOptions & { accessKey: string; secretKey: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: options.accessKey, nbf: now + (options.nbf ?? -5), exp: now + (options.exp ?? 864_000) })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secretKey));
}

/** A valid text-to-video body; override any field. */
export function textToVideoBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { model_name: 'bach-1.0-preview', prompt: 'A sunset over the ocean', resolution: '720p', aspect_ratio: '16:9', duration: 6, fps: 24, ...overrides };
}

/** A 1×1 PNG (valid magic bytes; enough for the emulator's checks). */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
