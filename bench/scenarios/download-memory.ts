import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { textShots, textStoryboard, writeStoryboard } from '../lib/fixtures.js';
import { renderFromScratch } from '../lib/render-run.js';
import { formatMb, formatMs, formatSummary, helperNote, MB, summarize } from '../lib/summary.js';
import { verdict, type Scenario } from './types.js';

// Figure 4b: one 1080p shot whose result the emulator pads (`resultPaddingBytes`; still a valid
// MP4) to 50 MB and to 200 MB, runs interleaved, plus the plain (tens of KB) result for reference.
// Downloads stream to disk, so peak RSS must not grow with the file: we call it independent when
// the 200 MB download costs at most 15 MB (10% of the 150 MB difference) more than the 50 MB one.
// (Any streamed download costs a fixed step over the tiny plain result — pipeline buffers and
// garbage not yet collected — which is why the comparison is between two large files.)

const MEDIUM = 50 * MB;
const LARGE = 200 * MB;
const TOLERANCE = 0.1 * (LARGE - MEDIUM);

export const downloadMemoryScenario: Scenario = {
  name: 'download-memory',
  title: 'Download memory',
  async run({ emulator, workDir, runs, log }) {
    const root = join(workDir, 'project');
    await writeStoryboard(root, textStoryboard(textShots(1, 'Big download'), '1080p'));
    const measure = async (padding: number) => {
      const build = await renderFromScratch(root, emulator, { processingMs: 0, resultPaddingBytes: padding }, ['--poll-interval', '0.05'], { rss: true });
      const size = (await stat(join(root, 'renders', 't000.mp4'))).size;
      if (size < padding) throw new Error(`expected a result of at least ${padding} bytes, got ${size}`);
      return { maxRssBytes: build.result.maxRssBytes ?? Number.NaN, helpers: build.result.helpers ?? [], wallMs: build.result.wallMs, size };
    };
    const plain = [];
    const medium = [];
    const large = [];
    for (let run = 0; run < runs.slow; run++) {
      plain.push(await measure(0));
      medium.push(await measure(MEDIUM));
      large.push(await measure(LARGE));
      log(`run ${run + 1}: peak RSS plain ${formatMb(plain.at(-1)!.maxRssBytes)}, 50 MB ${formatMb(medium.at(-1)!.maxRssBytes)}, 200 MB ${formatMb(large.at(-1)!.maxRssBytes)}`);
    }
    const rss = (list: { maxRssBytes: number }[]) => summarize(list.map((m) => m.maxRssBytes));
    const [plainRss, mediumRss, largeRss] = [rss(plain), rss(medium), rss(large)];
    const growth = largeRss.median - mediumRss.median;
    const largeWall = summarize(large.map((m) => m.wallMs));
    return {
      rows: [
        {
          figure: `download a 1080p result of ${formatMb(large[0]!.size)}: peak RSS`,
          value: formatSummary(largeRss, formatMb),
          target: 'independent of size (≤ +15 MB vs 50 MB)',
          ratio: `${growth >= 0 ? '+' : '−'}${formatMb(Math.abs(growth))} vs 50 MB (${formatMb(mediumRss.median)})${helperNote(large)}`,
          verdict: verdict(growth <= TOLERANCE),
        },
        {
          figure: 'same shot, plain result (~0.1 MB): peak RSS; 200 MB build time',
          value: formatSummary(plainRss, formatMb),
          target: '–',
          ratio: `200 MB build ${formatMs(largeWall.median)}`,
          verdict: 'info',
        },
      ],
      raw: { sizesBytes: { medium: MEDIUM, large: LARGE }, toleranceBytes: TOLERANCE, plain, medium, large },
    };
  },
};
