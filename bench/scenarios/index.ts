import { adaptivePollScenario } from './adaptive-poll.js';
import { downloadMemoryScenario } from './download-memory.js';
import { encodeScenario } from './encode.js';
import { makespanScenario } from './makespan.js';
import { noopScenario } from './noop.js';
import { planScalingScenario } from './plan-scaling.js';
import { rateLimitScenario } from './rate-limit.js';
import { teamCacheScenario } from './team-cache.js';
import { refusalScenario } from './refusal.js';
import { uploadMemoryScenario } from './upload-memory.js';
import { watchLatencyScenario } from './watch-latency.js';
import type { Scenario } from './types.js';

// Every scenario, in the order of the figures.
export const SCENARIOS: readonly Scenario[] = [noopScenario, makespanScenario, adaptivePollScenario, rateLimitScenario, uploadMemoryScenario, downloadMemoryScenario, watchLatencyScenario, planScalingScenario, encodeScenario, teamCacheScenario, refusalScenario];
