import { createHash } from 'node:crypto';
import type { FaultConfig } from './config.js';

// Fault injection that repeats. Each decision is a hash of (seed, fault kind, request key, occurrence
// number of that key), never a shared random stream, so a run with the same seed and the same
// requests sees the same faults even when concurrent requests arrive in another order:
//   - a create request's key is its request fingerprint (the same shot → the same key);
//   - any other request's key is method + path (+ a hash of the body), with task and batch ids
//     replaced by the stable key of the task/batch they name (ids are random; see router.ts);
//   - the occurrence number counts how often that key was seen since start (or reset), so the
//     second attempt of a request gets its own, equally repeatable, decision.
// When several faults fire for one request, drop wins over error5xx, which wins over rateLimit429.

export type FaultOutcome = 'none' | 'drop' | 'error5xx' | 'rateLimit429';

export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome;
  /** Create routes only: create the task, then drop the connection. */
  dropAfterCreate: boolean;
  /** Create routes only: the task will end TASK_FAILED. */
  taskFailed: boolean;
  /** How often this request key has been seen, this time included (1 the first time). */
  occurrence: number;
}

export interface FaultScope {
  /** A create route: dropAfterCreate and taskFailed apply. */
  create: boolean;
  /** A CDN download: only latency, drop and error5xx apply, and only with faults.cdn. */
  cdn: boolean;
}

export interface FaultDecider {
  decide(requestKey: string, scope: FaultScope): FaultDecision;
  reset(): void;
}


export function createFaultDecider(getConfig: () => FaultConfig): FaultDecider {
  const occurrences = new Map<string, number>();
  return {
    decide(requestKey, scope) {
      const occurrence = (occurrences.get(requestKey) ?? 0) + 1;
      occurrences.set(requestKey, occurrence);
      const config = getConfig();
      if (scope.cdn && !config.cdn) return { latencyMs: 0, outcome: 'none', dropAfterCreate: false, taskFailed: false, occurrence };
      return decideFaults(config, requestKey, occurrence, scope);
    },
    reset() {
      occurrences.clear();
    },
  };
}

/** Pure: the faults of one request. */
export function decideFaults(config: FaultConfig, requestKey: string, occurrence: number, scope: FaultScope): FaultDecision {
  const fires = (kind: string, probability: number) =>
    probability > 0 && rollFault(config.seed, kind, requestKey, occurrence) < probability;
  let outcome: FaultOutcome = 'none';
  if (fires('drop', config.drop)) outcome = 'drop';
  else if (fires('error5xx', config.error5xx)) outcome = 'error5xx';
  else if (!scope.cdn && fires('rateLimit429', config.rateLimit429)) outcome = 'rateLimit429';
  const creates = scope.create && outcome === 'none';
  return {
    latencyMs: drawLatency(config, requestKey, occurrence),
    outcome,
    dropAfterCreate: creates && fires('dropAfterCreate', config.dropAfterCreate),
    taskFailed: creates && fires('taskFailed', config.taskFailed),
    occurrence,
  };
}

/** A number in [0, 1) from the hash of the decision's inputs. */
export function rollFault(seed: number | string, kind: string, requestKey: string, occurrence: number): number {
  const digest = createHash('sha256').update(JSON.stringify([seed, kind, requestKey, occurrence])).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

function drawLatency(config: FaultConfig, requestKey: string, occurrence: number): number {
  const latency = config.latencyMs;
  if (typeof latency === 'number') return latency;
  const [min, max] = latency;
  return Math.round(min + rollFault(config.seed, 'latency', requestKey, occurrence) * (max - min));
}
