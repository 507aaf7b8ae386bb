import v8 from 'node:v8';
import vm from 'node:vm';
import { decodeJwt } from 'jose';
import { onTestFinished } from 'vitest';
import { createApiClient, type ApiClientOptions } from '../../../src/api/client.js';
import type { ApiEvent, BachApi } from '../../../src/api/types.js';
import { type Handler, type ScriptedServer, startScriptedServer } from '../../helpers/scripted-server.js';

// A client wired to a scripted loopback server, with time that only moves when the client sleeps:
// retries and rate-limit pauses cost no real time, and every wait is recorded.

export const ACCESS_KEY = 'ak-integration-test';
export const SECRET_KEY = 'sk-integration-secret-do-not-print';

export interface Setup {
  server: ScriptedServer;
  client: BachApi;
  events: ApiEvent[];
  sleeps: number[];
  /** Moves the client's clock forward (as if time passed on the server's side). */
  advanceClock(ms: number): void;
  /** Every Authorization token the server received. */
  tokens(): string[];
}

export async function setupClient(handler: Handler, options: Partial<ApiClientOptions> = {}): Promise<Setup> {
  const server = await startScriptedServer(handler);
  onTestFinished(() => server.close());
  const events: ApiEvent[] = [];
  const sleeps: number[] = [];
  let offset = 0;
  const client = createApiClient({
    baseUrl: `${server.origin}/api/vdr`,
    credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
    clock: {
      now: () => Date.now() + offset,
      sleep: async (ms, signal) => {
        sleeps.push(ms);
        offset += ms;
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
      },
      random: () => 0.5,
    },
    onEvent: (event) => events.push(event),
    ...options,
  });
  onTestFinished(() => client.close());
  return {
    server,
    client,
    events,
    sleeps,
    advanceClock: (ms) => {
      offset += ms;
    },
    tokens: () =>
      server.requests
        .map((r) => r.headers.authorization)
        .filter((h): h is string => typeof h === 'string')
        .map((h) => h.replace(/^Bearer /, '')),
  };
}

/** Decoded claims of a token the server received. */
export function claimsOf(token: string) {
  return decodeJwt(token);
}

/**
 * Peak growth of live memory (heap + array buffers) while `work` runs, sampled after a forced GC so
 * that garbage waiting to be collected does not count.
 */
export async function measurePeakLiveMemory(work: () => Promise<unknown>): Promise<number> {
  const gc = exposeGc();
  gc();
  const live = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = live();
  let peak = 0;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, live() - base);
  }, 100);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return peak;
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
