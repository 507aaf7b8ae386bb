import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleAdmin } from './admin.js';
import { verifyAuthorization } from './auth.js';
import { drainBody } from './body.js';
import { handleCdn } from './cdn.js';
import { ApiFailure, sendEnvelope, sendFailure } from './envelope.js';
import type { Exchange } from './exchange.js';
import { matchApiRoute } from './router.js';
import type { EmulatorState } from './state.js';
import { countKey } from './stats.js';
import { CODE } from '../contract/business-codes.js';

// The HTTP server: node:http, no framework. Requests are dispatched by prefix:
//   /_emulator/…  admin (admin.ts)        /cdn/…  downloads (cdn.ts)        /api/vdr/…  the API
// and anything else is 404/1200. An API request goes through, in order:
//   authentication (1101/1100/1102/1103) → per-key rate limit (429/1800 + Retry-After)
//   → route (404/1200 when unknown) → the route's handler, which reads the body, applies the
//   injected faults (exchange.ts) and then validates and does the work.
// A handler reports a business error by throwing ApiFailure; anything else thrown is a bug of the
// emulator and is answered 500/5000 (and logged), never left hanging.

export const API_BASE_PATH = '/api/vdr';

export function createEmulatorServer(state: EmulatorState): Server {
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      state.log(`internal error on ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent && !res.destroyed) sendEnvelope(res, CODE.internalError);
      else res.destroy();
    });
  });
  // A 300-image multipart upload may take a while; the real API allows an hour.
  server.requestTimeout = 3_600_000;
  return server;
}

async function handleRequest(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const path = url.pathname;
  if (path === '/_emulator' || path.startsWith('/_emulator/')) return handleAdmin(state, req, res, path);
  if (path.startsWith('/cdn/')) return handleCdn(state, req, res, url);
  if (path === API_BASE_PATH || path.startsWith(`${API_BASE_PATH}/`)) return handleApi(state, req, res, url);
  await drainBody(req);
  sendEnvelope(res, CODE.notFound);
}

async function handleApi(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { counters } = state;
  const route = matchApiRoute(req.method ?? 'GET', url.pathname.slice(API_BASE_PATH.length));
  counters.requests.total += 1;
  countKey(counters.requests.byRoute, route?.name ?? 'unknown');
  res.on('close', () => countKey(counters.requests.byStatus, res.writableFinished ? String(res.statusCode) : 'dropped'));
  res.on('finish', () => state.log(`${req.method} ${url.pathname} → ${res.statusCode}`));

  try {
    const auth = await verifyAuthorization(req.headers.authorization, state.config.keys);
    if (!auth.ok) throw new ApiFailure(auth.code);
    const retryAfter = state.rateLimiter.take(auth.accessKey, state.now());
    if (retryAfter !== null) {
      counters.rateLimited += 1;
      const headers: Record<string, string> = state.config.rateLimit?.retryAfter === false ? {} : { 'retry-after': String(retryAfter) };
      throw new ApiFailure(CODE.rateLimited, undefined, headers);
    }
    if (!route) throw new ApiFailure(CODE.notFound);
    if (route.name === 'query' || route.name === 'status') counters.polls += 1;
    if (route.name === 'batch-status') counters.batchPolls += 1;
    const exchange: Exchange = { req, res, state, url, accessKey: auth.accessKey, params: route.params };
    await route.handler(exchange);
  } catch (error) {
    if (!(error instanceof ApiFailure)) throw error;
    // Read what the client is still sending before answering, so that it sees the answer rather
    // than a connection closed under its upload.
    await drainBody(req).catch(() => {});
    if (!res.headersSent && !res.destroyed) sendFailure(res, error);
  }
}
