import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originAndPath } from '../../../src/api/http.js';
import type { UndiciCore } from '../../../src/api/undici.js';

// The build bundles only the part of undici bach-render uses (scripts/undici-core.cjs, from the
// installed version; npm test builds first). Requests through it must work as they do through the
// package: a dispatcher's own request API, and the redirect interceptor that CDN downloads use.

const BUNDLE = fileURLToPath(new URL('../../../dist/api/undici.bundle.cjs', import.meta.url));

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/final?x=1' }).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url, body })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("undici's core, as the build bundles it", () => {
  const core = createRequire(import.meta.url)(BUNDLE) as UndiciCore;

  it('holds what the client uses and not the rest of the package (fetch, WebSocket, caches, mocks)', () => {
    expect(Object.keys(core).sort()).toEqual(['Agent', 'interceptors']);
    expect(Object.keys(core.interceptors)).toEqual(['redirect']);
    const text = readFileSync(BUNDLE, 'utf8');
    for (const left of ['lib/web/fetch/index.js', 'lib/web/websocket/websocket.js', 'lib/mock/mock-agent.js', 'lib/cache/sqlite-cache-store.js']) expect(text).not.toContain(left);
  });

  it('sends a request through an Agent, with its path, query and body', async () => {
    const agent = new core.Agent();
    try {
      const response = await agent.request({ ...originAndPath(`${origin}/api/x?a=b`), method: 'POST', body: '{"k":1}', headers: { 'content-type': 'application/json' } });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({ method: 'POST', url: '/api/x?a=b', body: '{"k":1}' });
    } finally {
      await agent.close();
    }
  });

  it('follows a redirect through the redirect interceptor', async () => {
    const agent = new core.Agent();
    try {
      const following = agent.compose(core.interceptors.redirect({ maxRedirections: 5 }));
      const response = await following.request({ ...originAndPath(`${origin}/moved`), method: 'GET' });
      expect(response.statusCode).toBe(200);
      expect(((await response.body.json()) as { url: string }).url).toBe('/final?x=1');
    } finally {
      await agent.close();
    }
  });
});

describe('originAndPath', () => {
  it('splits a URL into the origin and the path with its query', () => {
    expect(originAndPath('https://cdn.example.com:8443/v/a%20b.mp4?sig=1&t=2')).toEqual({ origin: 'https://cdn.example.com:8443', path: '/v/a%20b.mp4?sig=1&t=2' });
    expect(originAndPath('http://127.0.0.1:9/')).toEqual({ origin: 'http://127.0.0.1:9', path: '/' });
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => originAndPath('not a url')).toThrow();
    expect(() => originAndPath('file:///etc/passwd')).toThrow(/not an http\(s\) URL/);
  });
});
