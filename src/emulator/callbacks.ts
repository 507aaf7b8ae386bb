import { isIP } from 'node:net';
import type { Envelope } from './envelope.js';
import type { StatsCounters } from './stats.js';

// Task callbacks: when a task ends, the final query `data` is POSTed as an envelope to its
// callback_url [decided in bach-api.md]. The emulator only ever calls loopback addresses
// (127.0.0.0/8, ::1, localhost): a storyboard must not make a test double send traffic elsewhere.
// Other hosts are skipped (counted in stats.callbacks.skipped). One attempt, 5 s timeout, no retry;
// the answer is ignored. close() aborts callbacks in flight.

const CALLBACK_TIMEOUT_MS = 5000;

export interface CallbackSender {
  send(url: string, envelope: Envelope): void;
  /** Resolves when every callback started so far has settled (tests wait for it). */
  settled(): Promise<void>;
}

export function createCallbackSender(options: { counters: () => StatsCounters; signal: AbortSignal }): CallbackSender {
  const inFlight = new Set<Promise<void>>();
  return {
    send(url, envelope) {
      const counters = options.counters();
      if (!isLoopbackUrl(url)) {
        counters.callbacks.skipped += 1;
        return;
      }
      const attempt = postJson(url, envelope, options.signal).then(
        () => void (counters.callbacks.sent += 1),
        () => void (counters.callbacks.failed += 1),
      );
      inFlight.add(attempt);
      void attempt.finally(() => inFlight.delete(attempt));
    },
    async settled() {
      await Promise.all([...inFlight]);
    },
  };
}

export function isLoopbackUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && host === '::1';
}

async function postJson(url: string, body: unknown, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.any([signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`callback answered HTTP ${response.status}`);
}
