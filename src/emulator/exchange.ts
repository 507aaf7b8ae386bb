import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendEnvelope } from './envelope.js';
import type { FaultDecision, FaultScope } from './faults.js';
import type { EmulatorState } from './state.js';
import { countFault } from './stats.js';
import { CODE } from '../contract/business-codes.js';

// One request being handled, and the one place where an injected fault takes effect. Handlers call
// applyFaults once they know the request's stable key (after reading the body, so a create request
// is keyed by its fingerprint); when it returns null the request has been answered (or dropped) and
// the handler must do no work.

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  state: EmulatorState;
  url: URL;
  /** The authenticated access key (empty for CDN requests, which carry no token). */
  accessKey: string;
  params: Record<string, string>;
}

export async function applyFaults(exchange: Exchange, requestKey: string, scope: FaultScope): Promise<FaultDecision | null> {
  const { state, res } = exchange;
  const decision = state.faults.decide(requestKey, scope);
  if (decision.latencyMs > 0) {
    countFault(state.counters, 'latency');
    await sleep(decision.latencyMs, undefined, { signal: state.closing }).catch(() => {});
  }
  // Closed while this request waited: do no work (no task may be created after close()).
  if (state.closing.aborted) {
    res.destroy();
    return null;
  }
  switch (decision.outcome) {
    case 'drop':
      countFault(state.counters, 'drop');
      dropConnection(exchange);
      return null;
    case 'error5xx':
      countFault(state.counters, 'error5xx');
      sendEnvelope(res, CODE.internalError);
      return null;
    case 'rateLimit429':
      countFault(state.counters, 'rateLimit429');
      sendEnvelope(res, CODE.rateLimited, null, { headers: { 'retry-after': '1' } });
      return null;
    case 'none':
      return decision;
  }
}

/** Destroys the connection without an answer (a crashed server, a cut network). */
export function dropConnection(exchange: Exchange): void {
  exchange.req.socket.destroy();
}
