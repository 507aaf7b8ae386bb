import type { EmulatorConfig } from './config.js';
import { rollFault } from './faults.js';

// How long a task processes. Real tasks vary; a poller that guesses when a task ends can only be
// measured against tasks that vary too. [decided] The distribution is uniform: each task takes
// processingMs × (1 + processingSpread × r), r uniform in [-1, 1) — `6000` with spread `0.3` gives
// 4.2–7.8 s, mean 6 s. Uniform because it is bounded (no task of 0 s or of twice the mean) and its
// range reads like the way such times are quoted ("6 s ± 30%").
//
// Repeatable: r is a hash of (timingSeed, the task's stable key), like the fault decisions, never a
// shared random stream; so the same storyboard gets the same times in every run, whatever order its
// tasks start in. The stable key is the create request's fingerprint and occurrence (tasks.ts).

export type TimingConfig = Pick<EmulatorConfig, 'processingMs' | 'processingSpread' | 'timingSeed'>;

export function drawProcessingMs(config: TimingConfig, taskKey: string): number {
  if (config.processingSpread === 0) return config.processingMs;
  const r = 2 * rollFault(config.timingSeed, 'processingMs', taskKey, 1) - 1;
  return Math.max(0, Math.round(config.processingMs * (1 + config.processingSpread * r)));
}
