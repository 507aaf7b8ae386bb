import type { ServerResponse } from 'node:http';

// The response envelope and the business codes (bach-api.md Part 1, "Response codes"). Every answer
// under /api/vdr goes through sendEnvelope, so the shape cannot drift: {code, message, data}.

export type BusinessCode =
  | 200 | 1000 | 1001 | 1100 | 1101 | 1102 | 1103 | 1200 | 1203 | 1300 | 1301 | 1302 | 1800 | 5000;

/** HTTP status and message of each business code; 1000's message is always the specific rule's. */
export const CODES: Readonly<Record<BusinessCode, { http: number; message: string }>> = {
  200: { http: 200, message: 'Success' },
  1000: { http: 400, message: 'Invalid parameter' },
  1001: { http: 400, message: 'Sensitive content detected' },
  1100: { http: 401, message: 'Authentication failed' },
  1101: { http: 401, message: 'Authorization header missing' },
  1102: { http: 401, message: 'Token not yet valid' },
  1103: { http: 401, message: 'Token expired' },
  1200: { http: 404, message: 'Resource not found' },
  1203: { http: 404, message: 'Batch ID not found or expired' },
  1300: { http: 403, message: 'Duration not supported by plan' },
  1301: { http: 403, message: 'Resolution not supported by plan' },
  1302: { http: 403, message: 'Insufficient credits' },
  1800: { http: 429, message: 'Rate limit exceeded' },
  5000: { http: 500, message: 'Internal server error' },
};

export interface Envelope {
  code: number;
  message: string;
  data: unknown;
}

/** An API answer that is not a success: the code, and for 1000 the rule's message. */
export class ApiFailure extends Error {
  readonly code: BusinessCode;
  readonly headers: Record<string, string>;
  constructor(code: BusinessCode, message?: string, headers: Record<string, string> = {}) {
    super(message ?? CODES[code].message);
    this.name = 'ApiFailure';
    this.code = code;
    this.headers = headers;
  }
}

export function createEnvelope(code: BusinessCode, data: unknown = null, message?: string): Envelope {
  return { code, message: message ?? CODES[code].message, data };
}

export function sendEnvelope(
  res: ServerResponse,
  code: BusinessCode,
  data: unknown = null,
  options: { message?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(res, CODES[code].http, createEnvelope(code, data, options.message), options.headers);
}

export function sendFailure(res: ServerResponse, failure: ApiFailure): void {
  sendEnvelope(res, failure.code, null, { message: failure.message, headers: failure.headers });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
