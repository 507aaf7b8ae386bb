import { join } from 'node:path';
import type { RateLimitConfig } from '../../src/emulator/index.js';
import { textShots, textStoryboard, writeStoryboard } from '../lib/fixtures.js';
import { renderFromScratch, type RenderRun } from '../lib/render-run.js';
import { formatMs, formatSummary, summarize } from '../lib/summary.js';
import { PER_KEY, POLL_SECONDS, PROCESSING_MS, SHOTS } from './makespan.js';
import { verdict, type Row, type Scenario } from './types.js';

// Figure 3 (issue 14 item 3): figure 2's storyboard and settings (64 shots of 1 s, 8 at once, polls
// every 0.1 s, so that unthrottled the build would send ~80 requests per second) under three per-key
// limits the emulator enforces:
//   - a token bucket of 10 per second (burst 10), answering 429 with Retry-After;
//   - the same without Retry-After (the client must find its own pause);
//   - a slow fixed window: 2 per second, counted per clock second (Retry-After to the window's end).
// Targets, each limit: after the first second of traffic (from the first API request the emulator
// logged), at most 1% of the requests answered 429; and, once the limit is found (from the first 429
// plus the one second the client then pauses, to the last API request), at least 90% of the allowed
// rate used: answered requests per second ÷ the limit. The floor of the makespan is one create and
// one poll per shot, all at the limit. Times come from the emulator's request log, timestamped by the
// bench as each line arrives.

const GRACE_MS = 1_000;
/** What the client pauses at its first 429 (the emulator's Retry-After, or its own first backoff). */
const FIRST_PAUSE_MS = 1_000;
const MAX_LIMITED_SHARE = 0.01;
const MIN_UTILIZATION = 0.9;

interface Limit {
  label: string;
  rateLimit: RateLimitConfig;
}

const LIMITS: readonly Limit[] = [
  { label: '10 req/s token bucket, Retry-After', rateLimit: { requestsPerSecond: 10, burst: 10 } },
  { label: '10 req/s token bucket, no Retry-After', rateLimit: { requestsPerSecond: 10, burst: 10, retryAfter: false } },
  { label: '2 req/s fixed window, Retry-After', rateLimit: { requestsPerSecond: 2, mode: 'fixed-window' } },
];

export const rateLimitScenario: Scenario = {
  name: 'rate-limit',
  title: 'Makespan under rate limiting',
  async run({ emulator, workDir, runs, log }) {
    const root = join(workDir, 'project');
    await writeStoryboard(root, textStoryboard(textShots(SHOTS, 'Limited')));
    const args = ['--concurrency', String(PER_KEY), '--poll-interval', String(POLL_SECONDS)];
    const rows: Row[] = [];
    const raw: Record<string, unknown> = { graceMs: GRACE_MS, firstPauseMs: FIRST_PAUSE_MS };
    const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

    for (const limit of LIMITS) {
      const rps = limit.rateLimit.requestsPerSecond;
      const settings = { processingMs: PROCESSING_MS, concurrencyPerKey: PER_KEY, rateLimit: limit.rateLimit };
      const measured = [];
      for (let run = 0; run < runs.slow; run++) {
        const build = await renderFromScratch(root, emulator, settings, args);
        if (build.stats.submissions.total !== SHOTS) throw new Error(`expected ${SHOTS} submissions, the emulator saw ${build.stats.submissions.total}`);
        const figures = { wallMs: build.result.wallMs, ...countLimited(build, rps) };
        measured.push(figures);
        log(`${limit.label}, run ${run + 1}: ${formatMs(figures.wallMs)}, ${figures.limited} × 429 of ${figures.requests} requests, ` +
          `after 1 s ${figures.limitedAfterGrace}/${figures.requestsAfterGrace}, ${figures.answeredRate.toFixed(2)} answered/s once found`);
      }
      const wall = summarize(measured.map((m) => m.wallMs));
      const share = summarize(measured.map((m) => m.shareAfterGrace));
      const limited = summarize(measured.map((m) => m.limited));
      const used = summarize(measured.map((m) => m.answeredRate / rps));
      const pollsPerTask = summarize(measured.map((m) => m.polls / SHOTS));
      const floorMs = ((2 * SHOTS) / rps) * 1000;
      rows.push(
        {
          figure: `makespan, 64 shots, ${limit.label}`,
          value: formatSummary(wall, formatMs),
          target: '–',
          ratio: `${(wall.median / floorMs).toFixed(2)}x the ${formatMs(floorMs)} floor; ${formatSummary(limited, (n) => n.toFixed(0))} × 429 in all; ${pollsPerTask.median.toFixed(1)} polls/task`,
          verdict: 'info',
        },
        {
          figure: `  allowed rate used once found (${limit.label})`,
          value: formatSummary(used, percent),
          target: `≥ ${percent(MIN_UTILIZATION)}`,
          ratio: '',
          verdict: verdict(used.median >= MIN_UTILIZATION),
        },
        {
          figure: `  answered 429 after the first second (${limit.label})`,
          value: formatSummary(share, percent),
          target: `≤ ${percent(MAX_LIMITED_SHARE)}`,
          ratio: '',
          verdict: verdict(share.median <= MAX_LIMITED_SHARE),
        },
      );
      raw[limit.label] = { rateLimit: limit.rateLimit, floorMs, runs: measured };
    }
    return { rows, raw };
  },
};

function countLimited(build: RenderRun, requestsPerSecond: number) {
  const first = build.requests[0]?.atMs ?? 0;
  const last = build.requests.at(-1)?.atMs ?? first;
  const after = build.requests.filter((r) => r.atMs - first > GRACE_MS);
  const limitedAfterGrace = after.filter((r) => r.status === 429).length;
  // The limit is found at the first 429; the client then pauses a second. From there to the end,
  // every request the server answered other than 429 counts as used.
  const firstLimited = build.requests.find((r) => r.status === 429)?.atMs;
  const foundAt = firstLimited === undefined ? first : firstLimited + FIRST_PAUSE_MS;
  const answeredOnceFound = build.requests.filter((r) => r.atMs > foundAt && r.status !== 429).length;
  const spanSeconds = (last - foundAt) / 1000;
  return {
    requestsPerSecondAllowed: requestsPerSecond,
    /** Answered (non-429) requests per second from the limit found to the last request. */
    answeredRate: spanSeconds > 0 ? answeredOnceFound / spanSeconds : 0,
    requests: build.stats.requests.total,
    limited: build.stats.rateLimited,
    polls: build.stats.polls,
    loggedRequests: build.requests.length,
    requestsAfterGrace: after.length,
    limitedAfterGrace,
    shareAfterGrace: after.length === 0 ? 0 : limitedAfterGrace / after.length,
  };
}
