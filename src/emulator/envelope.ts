import type { ServerResponse } from 'node:http';
import { BUSINESS_CODES as CODES, type BusinessCode } from '../contract/business-codes.js';

export type { BusinessCode };

// The response envelope (bach-api.md Part 1, "Response codes"; the codes are the contract's table).
// Every answer under /api/vdr goes through sendEnvelope, so the shape cannot drift: {code, message, data}.

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
