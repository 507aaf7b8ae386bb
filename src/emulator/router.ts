import { handleBatchStatus } from './routes-batch-status.js';
import { handleUploadFiles } from './routes-upload-files.js';
import { handleUploadJson } from './routes-upload-json.js';
import { handleCreate, handleQuery, handleSubmit } from './routes-videos.js';
import type { Exchange } from './exchange.js';
import { ENDPOINTS } from './validate-create.js';

// The routes under /api/vdr (bach-api.md Part 1), one row each. `:name?` is a last segment that may
// be empty: a query without a task id is still routed, so that its handler can answer
// `Task Id is required.` (decided: `GET /videos/text2video`, `GET /videos/text2video/`, `GET /status`
// and `GET /status/` all mean "no task id"). Anything else is 404/1200.

export type RouteName = 'create' | 'submit' | 'query' | 'status' | 'upload-files' | 'upload-json' | 'batch-status';

interface RouteSpec {
  name: RouteName;
  method: 'GET' | 'POST';
  pattern: string;
  handler: (exchange: Exchange) => Promise<void>;
}

const ROUTES: readonly RouteSpec[] = [
  { name: 'create', method: 'POST', pattern: '/videos/:endpoint', handler: handleCreate },
  // The seed's sample code posts here; the mode comes from the body (routes-videos.ts).
  { name: 'submit', method: 'POST', pattern: '/submit', handler: handleSubmit },
  { name: 'query', method: 'GET', pattern: '/videos/:endpoint/:taskId?', handler: handleQuery },
  { name: 'status', method: 'GET', pattern: '/status/:taskId?', handler: handleQuery },
  { name: 'upload-files', method: 'POST', pattern: '/batch-upload/submit-with-files', handler: handleUploadFiles },
  { name: 'upload-json', method: 'POST', pattern: '/batch-upload/submit', handler: handleUploadJson },
  { name: 'batch-status', method: 'GET', pattern: '/batch-upload/status/:batchId?', handler: handleBatchStatus },
];

export interface RouteMatch {
  name: RouteName;
  handler: (exchange: Exchange) => Promise<void>;
  params: Record<string, string>;
}

/** `path` is relative to /api/vdr, e.g. `/videos/text2video/abc`. */
export function matchApiRoute(method: string, path: string): RouteMatch | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchPattern(route.pattern, path);
    if (params && (params.endpoint === undefined || (ENDPOINTS as readonly string[]).includes(params.endpoint))) {
      return { name: route.name, handler: route.handler, params };
    }
  }
  return null;
}

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').slice(1);
  const got = path.split('/').slice(1);
  const last = want[want.length - 1]!;
  // An optional last segment may be missing altogether (`/status`) or empty (`/status/`).
  if (last.endsWith('?') && got.length === want.length - 1) got.push('');
  if (got.length !== want.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const value = got[index]!;
    if (segment.startsWith(':')) {
      const optional = segment.endsWith('?');
      if (value === '' && !optional) return null;
      try {
        params[segment.slice(1).replace(/\?$/, '')] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (segment !== value) {
      return null;
    }
  }
  return params;
}
