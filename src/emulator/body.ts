import type { IncomingMessage } from 'node:http';
import { ApiFailure } from './envelope.js';
import { CODE } from '../contract/business-codes.js';

// Reading JSON request bodies. Decided (docs/emulator.md): a body that is not valid JSON, or is JSON
// but not an object, is 400/1000 `Request body must be a JSON object.`; a body over the route's
// limit is 400/1000 `Request body is too large.` (the contract has no 413). The rest of an oversized
// body is still read (and dropped), so the client gets the answer instead of a reset connection.

export const NOT_A_JSON_OBJECT = 'Request body must be a JSON object.';
export const BODY_TOO_LARGE = 'Request body is too large.';

/** Create requests: prompts are at most 10 000 characters; 1 MiB is far beyond any valid body. */
export const CREATE_BODY_LIMIT = 1024 * 1024;
/** JSON batch uploads carry base64 images; 300 × 10 MB would be 4 GB of JSON, so cap it. */
export const UPLOAD_JSON_BODY_LIMIT = 128 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new ApiFailure(CODE.invalidParameter, BODY_TOO_LARGE);
  return Buffer.concat(chunks);
}

/** The parsed JSON object, or null when the bytes are not a JSON object. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Reads and discards the rest of a request, so that an answer sent early is not met by a reset. */
export async function drainBody(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  for await (const _ of req as AsyncIterable<Buffer>) {
    /* discard */
  }
}
