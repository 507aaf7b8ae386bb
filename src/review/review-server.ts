import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join, relative, sep } from 'node:path';
import { detectImageFormat } from '../manifest/file-facts.js';
import { createReviewDelta, createReviewUpdate, type ReviewDelta, type ReviewUpdate, type SentParts } from './create-review-update.js';
import type { ReviewData } from './review-data.js';
import { listPageAssets, resolveServedPath } from './resolve-served-path.js';

// The review page, served live (`watch --serve`): the files of the page (resolve-served-path.ts
// decides which), with byte ranges for the videos, and server-sent events that push what changed on
// the page after every change (`push`). Pushes are coalesced — at most one update per 100 ms, the
// latest data wins — and each page is sent only the parts it does not have yet, so a build's stream
// of status events stays cheap however long the storyboard. Binds 127.0.0.1 only; answers only requests whose Host is
// that address or localhost at its port (a web page elsewhere cannot reach it through a DNS name
// rebound to 127.0.0.1); GET and HEAD only; nothing outside the project, ever.

export interface ReviewServerOptions {
  /** The manifest's folder. */
  root: string;
  /** The page's first data (the server knows the output folder and the assets from it). */
  data: ReviewData;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface ReviewServer {
  /** The page's address, e.g. http://127.0.0.1:4173/renders/ */
  url: string;
  port: number;
  /** Sends what changed on the page to every open page (and all of it to pages that connect later). */
  push(data: ReviewData): void;
  /** Open event streams (live pages). */
  clients(): number;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 25_000;
const PUSH_INTERVAL_MS = 100;
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', mp4: 'video/mp4', otio: 'application/json; charset=utf-8' };
const IMAGE_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp', svg: 'image/svg+xml', ico: 'image/x-icon', tiff: 'image/tiff',
};
// Everything but the page itself is served as inert data: an SVG opened directly runs no script.
const FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  let data = options.data;
  let update: ReviewUpdate = createReviewUpdate(data);
  let assets = listPageAssets(data);
  /** Each open page and the parts it was last sent. */
  const streams = new Map<ServerResponse, SentParts>();
  let dirty = false;
  let flushTimer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  const realRoot = await realpath(options.root);
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'internal error');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(response, 421, 'misdirected request');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, 'method not allowed');
    }
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    } catch {
      return send(response, 404, 'not found');
    }
    const target = resolveServedPath(pathname, { output: data.output, assets });
    switch (target.kind) {
      case 'events':
        return openStream(response);
      case 'redirect':
        response.writeHead(302, { location: target.location, 'cache-control': 'no-store' });
        response.end();
        return;
      case 'no-content':
        response.writeHead(204, { 'cache-control': 'max-age=86400' });
        response.end();
        return;
      case 'not-found':
        return send(response, 404, 'not found');
      case 'page-file':
      case 'asset':
        return serveFile(request, response, target.path, target.kind === 'asset');
    }
  }

  async function serveFile(request: IncomingMessage, response: ServerResponse, path: string, isAsset: boolean): Promise<void> {
    const absolute = join(realRoot, path);
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      return send(response, 404, 'not found');
    }
    // A symbolic link may not lead out: an image must stay in the project, a page file in the output folder.
    const folder = isAsset ? realRoot : await realpath(join(realRoot, data.output)).catch(() => null);
    if (!folder || !isInside(folder, real)) return send(response, 404, 'not found');
    const stats = await stat(real).catch(() => null);
    if (!stats?.isFile()) return send(response, 404, 'not found');
    const type = isAsset ? await sniffImageType(real) : TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
    if (!type) return send(response, 404, 'not found');
    const headers: Record<string, string | number> = {
      'content-type': type,
      'cache-control': 'no-cache',
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'x-frame-options': 'DENY',
    };
    if (!path.endsWith('.html')) headers['content-security-policy'] = FILE_CSP;
    const range = parseRange(request.headers.range, stats.size);
    if (range === 'invalid') {
      response.writeHead(416, { 'content-range': `bytes */${stats.size}` });
      response.end();
      return;
    }
    const [start, end] = range ?? [0, stats.size - 1];
    headers['content-length'] = stats.size === 0 ? 0 : end - start + 1;
    if (range) headers['content-range'] = `bytes ${start}-${end}/${stats.size}`;
    response.writeHead(range ? 206 : 200, headers);
    if (request.method === 'HEAD' || stats.size === 0) {
      response.end();
      return;
    }
    const stream = createReadStream(real, { start, end });
    stream.on('error', () => response.destroy());
    response.on('close', () => stream.destroy());
    stream.pipe(response);
  }

  function openStream(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    response.write('retry: 2000\n\n');
    if (dirty) flush();
    const first = createReviewDelta(update, null);
    response.write(formatEvent(first.delta));
    streams.set(response, first.sent);
    response.on('close', () => streams.delete(response));
  }

  function flush(): void {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!dirty) return;
    dirty = false;
    lastFlush = Date.now();
    update = createReviewUpdate(data);
    for (const [stream, sent] of streams) {
      const next = createReviewDelta(update, sent);
      streams.set(stream, next.sent);
      stream.write(formatEvent(next.delta));
    }
  }

  const heartbeat = setInterval(() => {
    for (const stream of streams.keys()) stream.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const pagePath = data.output === '' || data.output === '.' ? '/' : `/${data.output.split('/').map(encodeURIComponent).join('/')}/`;

  return {
    url: `http://127.0.0.1:${port}${pagePath}`,
    port,
    push(next: ReviewData): void {
      // What may be served changes at once; the pages hear of it with the next update.
      data = next;
      assets = listPageAssets(next);
      dirty = true;
      if (flushTimer) return;
      flushTimer = setTimeout(flush, Math.max(0, lastFlush + PUSH_INTERVAL_MS - Date.now()));
    },
    clients: () => streams.size,
    async close(): Promise<void> {
      clearInterval(heartbeat);
      if (flushTimer) clearTimeout(flushTimer);
      for (const stream of streams.keys()) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
}

function formatEvent(update: ReviewDelta): string {
  // JSON has no raw newlines, so the whole update is one `data:` line.
  return `event: review\ndata: ${JSON.stringify(update)}\n\n`;
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  response.end(`${text}\n`);
}

async function sniffImageType(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = detectImageFormat(head.subarray(0, bytesRead));
    return format ? IMAGE_TYPES[format] : undefined;
  } finally {
    await handle.close();
  }
}

/** A single `bytes=` range, clamped to the file; null when there is none; 'invalid' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): [number, number] | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return [start, end];
}
