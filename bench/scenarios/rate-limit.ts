import { join } from 'node:path';
import { textShots, textStoryboard, writeStoryboard } from '../lib/fixtures.js';
import { renderFromScratch, type RenderRun } from '../lib/render-run.js';
import { formatMs, formatSummary, summarize } from '../lib/summary.js';
import { PER_KEY, POLL_SECONDS, PROCESSING_MS, SHOTS } from './makespan.js';
import { verdict, type Scenario } from './types.js';

// Figure 3: figure 2's storyboard and settings, with the emulator allowing 10 requests per second
// per key (token bucket, burst 10). Unthrottled, 8 shots polling every 0.1 s would send ~80 per
// second, so the limit binds. The target: after the first second of traffic (measured from the
// first API request the emulator logged), at most 5% of the requests are answered 429. Times come
// from the emulator's request log, timestamped by the bench as each line arrives.

const REQUESTS_PER_SECOND = 10;
const GRACE_MS = 1_000;

export const rateLimitScenario: Scenario = {
  name: 'rate-limit',
  title: 'Makespan under rate limiting',
  async run({ emulator, workDir, runs, log }) {
    const root = join(workDir, 'project');
    await writeStoryboard(root, textStoryboard(textShots(SHOTS, 'Limited')));
    const settings = { processingMs: PROCESSING_MS, concurrencyPerKey: PER_KEY, rateLimit: { requestsPerSecond: REQUESTS_PER_SECOND } };
    const args = ['--concurrency', String(PER_KEY), '--poll-interval', String(POLL_SECONDS)];

    const measured = [];
    for (let run = 0; run < runs.slow; run++) {
      const build = await renderFromScratch(root, emulator, settings, args);
      if (build.stats.submissions.total !== SHOTS) throw new Error(`expected ${SHOTS} submissions, the emulator saw ${build.stats.submissions.total}`);
      const figures = { wallMs: build.result.wallMs, ...countLimited(build) };
      measured.push(figures);
      log(`run ${run + 1}: ${formatMs(figures.wallMs)}, ${figures.limited} × 429 of ${figures.requests} requests, ` +
        `after 1 s ${figures.limitedAfterGrace}/${figures.requestsAfterGrace}`);
    }
    const wall = summarize(measured.map((m) => m.wallMs));
    const share = summarize(measured.map((m) => m.shareAfterGrace));
    const limited = summarize(measured.map((m) => m.limited));
    const pollsPerTask = summarize(measured.map((m) => m.polls / SHOTS));
    const rate = summarize(measured.map((m) => m.rateAfterGrace));
    // One create and one poll per shot, at best, all at the limit.
    const floorMs = ((2 * SHOTS) / REQUESTS_PER_SECOND) * 1000;
    const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
    return {
      rows: [
        {
          figure: `makespan, same 64 shots, limit ${REQUESTS_PER_SECOND} req/s per key`,
          value: formatSummary(wall, formatMs),
          target: '–',
          ratio: `${(wall.median / floorMs).toFixed(2)}x the ${formatMs(floorMs)} floor; sent ${rate.median.toFixed(1)} req/s`,
          verdict: 'info',
        },
        { figure: '429s received (whole run)', value: formatSummary(limited, (n) => n.toFixed(0)), target: '–', ratio: '', verdict: 'info' },
        { figure: 'polls per task', value: formatSummary(pollsPerTask, (n) => n.toFixed(1)), target: '–', ratio: '', verdict: 'info' },
        {
          figure: 'requests answered 429 after the first second',
          value: formatSummary(share, percent),
          target: '≤ 5%',
          ratio: '',
          verdict: verdict(share.median <= 0.05),
        },
      ],
      raw: { requestsPerSecond: REQUESTS_PER_SECOND, graceMs: GRACE_MS, floorMs, runs: measured },
    };
  },
};

function countLimited(build: RenderRun) {
  const first = build.requests[0]?.atMs ?? 0;
  const after = build.requests.filter((r) => r.atMs - first > GRACE_MS);
  const limitedAfterGrace = after.filter((r) => r.status === 429).length;
  const last = build.requests.at(-1)?.atMs ?? first;
  return {
    /** Requests per second the client achieved after the first second (answered or not). */
    rateAfterGrace: last - first > GRACE_MS ? after.length / ((last - first - GRACE_MS) / 1000) : 0,
    requests: build.stats.requests.total,
    limited: build.stats.rateLimited,
    polls: build.stats.polls,
    loggedRequests: build.requests.length,
    requestsAfterGrace: after.length,
    limitedAfterGrace,
    shareAfterGrace: after.length === 0 ? 0 : limitedAfterGrace / after.length,
  };
}
