import { join } from 'node:path';
import { imageStoryboard, writeImages, writeStoryboard } from '../lib/fixtures.js';
import { freeSpace } from '../lib/machine.js';
import { renderFromScratch } from '../lib/render-run.js';
import { formatMb, formatMs, formatSummary, helperNote, MB, summarize } from '../lib/summary.js';
import { verdict, type Scenario } from './types.js';

// Figure 4a: one build that uploads 300 distinct 8 MB PNGs (2.4 GB; one 1-s image-to-video shot
// each). bach-render's peak RSS must stay ≤ 120 MB (issue 14 item 4; it was 250 MB) without the
// upload getting slower: uploads are streamed from disk in batches
// (≤ 300 images, ≤ a byte cap), never buffered whole. The emulator stores the uploads in its own
// temp folder (emptied by each reset), so the disk needs about twice the fixture size.

const IMAGES = 300;
const IMAGE_BYTES = 8 * MB;
const LIMIT_BYTES = 120 * MB;

export const uploadMemoryScenario: Scenario = {
  name: 'upload-memory',
  title: 'Upload memory',
  async run({ emulator, workDir, runs, log }) {
    const needed = 2 * IMAGES * IMAGE_BYTES + 1024 * MB;
    const free = freeSpace(workDir).diskBytes;
    if (free < needed) throw new Error(`needs ${formatMb(needed)} of free disk for fixtures and the emulator's copies, has ${formatMb(free)}`);
    const root = join(workDir, 'project');
    log(`writing ${IMAGES} × ${formatMb(IMAGE_BYTES)} PNGs…`);
    const images = await writeImages(root, IMAGES, IMAGE_BYTES);
    await writeStoryboard(root, imageStoryboard(IMAGES, images));

    const measured = [];
    for (let run = 0; run < runs.slow; run++) {
      const build = await renderFromScratch(root, emulator, { processingMs: 50 }, ['--concurrency', '8', '--poll-interval', '0.05'], { rss: true });
      const { uploads } = build.stats;
      if (uploads.images !== IMAGES) throw new Error(`expected ${IMAGES} uploaded images, the emulator stored ${uploads.images}`);
      const figures = {
        wallMs: build.result.wallMs,
        maxRssBytes: build.result.maxRssBytes ?? Number.NaN,
        helpers: build.result.helpers ?? [],
        uploadedBytes: uploads.bytes,
        batches: uploads.batches,
      };
      measured.push(figures);
      log(`run ${run + 1}: peak RSS ${formatMb(figures.maxRssBytes)}, ${formatMs(figures.wallMs)}, ${uploads.batches} batches`);
    }
    const rss = summarize(measured.map((m) => m.maxRssBytes));
    const wall = summarize(measured.map((m) => m.wallMs));
    const throughput = (IMAGES * IMAGE_BYTES) / MB / (wall.median / 1000);
    return {
      rows: [
        {
          figure: `upload ${IMAGES} × 8 MB images in one build: peak RSS`,
          value: formatSummary(rss, formatMb),
          target: `≤ ${LIMIT_BYTES / MB} MB`,
          ratio: `${(rss.median / LIMIT_BYTES).toFixed(2)}x the limit${helperNote(measured)}`,
          verdict: verdict(rss.max <= LIMIT_BYTES),
        },
        {
          figure: `that build's wall time (hash, upload, ${IMAGES} renders)`,
          value: formatSummary(wall, formatMs),
          target: '–',
          ratio: `${throughput.toFixed(0)} MB/s overall`,
          verdict: 'info',
        },
      ],
      raw: { images: IMAGES, imageBytes: IMAGE_BYTES, runs: measured },
    };
  },
};
