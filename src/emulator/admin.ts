import type { IncomingMessage, ServerResponse } from 'node:http';
import { drainBody, parseJsonObject, readBody } from './body.js';
import { EmulatorConfigError } from './config.js';
import { ApiFailure, sendJson } from './envelope.js';
import type { EmulatorState } from './state.js';

// The admin endpoints, outside /api/vdr: no auth, never faulted, plain JSON (not the envelope).
//   GET  /_emulator/stats   → stats()
//   POST /_emulator/reset   → { "ok": true }          (tasks, batches, uploads, counters, credits)
//   GET  /_emulator/config  → the current configuration
//   POST /_emulator/config  → applies a JSON patch, answers the new configuration;
//                             400 { "error": "<setting>: <problem>" } when it is invalid.

const CONFIG_BODY_LIMIT = 1024 * 1024;

export async function handleAdmin(state: EmulatorState, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = `${req.method} ${path.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /_emulator/stats':
      await drainBody(req);
      return sendJson(res, 200, state.stats());
    case 'POST /_emulator/reset':
      await drainBody(req);
      state.reset();
      return sendJson(res, 200, { ok: true });
    case 'GET /_emulator/config':
      await drainBody(req);
      return sendJson(res, 200, state.config);
    case 'POST /_emulator/config':
      return configure(state, req, res);
    default:
      await drainBody(req);
      return sendJson(res, 404, { error: `no admin route ${route}; try GET /_emulator/stats, POST /_emulator/reset, GET|POST /_emulator/config` });
  }
}

async function configure(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let patch: Record<string, unknown> | null;
  try {
    patch = parseJsonObject(await readBody(req, CONFIG_BODY_LIMIT));
  } catch (error) {
    if (error instanceof ApiFailure) return sendJson(res, 400, { error: error.message });
    throw error;
  }
  if (!patch) return sendJson(res, 400, { error: 'the body must be a JSON object (a configuration patch)' });
  try {
    state.configure(patch);
  } catch (error) {
    if (error instanceof EmulatorConfigError) return sendJson(res, 400, { error: error.message });
    throw error;
  }
  sendJson(res, 200, state.config);
}
