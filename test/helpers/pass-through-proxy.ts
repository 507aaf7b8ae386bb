import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

// An HTTP pass-through on 127.0.0.1 in front of a real server (radosgw): it counts and records the
// requests that go through, and `stop()` makes the server vanish mid-run for whoever uses the proxy's
// address (open connections are cut, new ones refused) while the server itself keeps running for
// everyone else. The Host header is passed on as it came, so S3 signatures still match.

export interface PassThroughProxy {
  url: string;
  /** `METHOD /path?query` of every request so far. */
  requests(): readonly string[];
  /** Cut every connection and refuse new ones: the server is gone, as far as the proxy's users know. */
  stop(): Promise<void>;
}

/** `port`: listen there (a proxy started again at the address an earlier one had); default any free port. */
export async function startPassThroughProxy(target: URL, port = 0): Promise<PassThroughProxy> {
  const seen: string[] = [];
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`);
    const forwarded = httpRequest({ hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests: () => seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
