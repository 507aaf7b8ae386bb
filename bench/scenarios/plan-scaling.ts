import { join } from 'node:path';
import { imageStoryboard, writeImages, writeStoryboard } from '../lib/fixtures.js';
import { runCli } from '../lib/process.js';
import { formatMb, formatMs, formatSummary, MB, summarize } from '../lib/summary.js';
import { ensureRenderedProjects, LARGE } from './noop-fixtures.js';
import { verdict, type Scenario } from './types.js';

// Figure 6: `bach-render plan` on 10,000 shots, peak RSS ≤ 200 MB. Two cases: the rendered
// storyboard of the no-op figure (the CI case, `plan --detailed-exitcode` with nothing to do;
// whatever the CLI reads to decide that, lockfile included), and a storyboard of 10,000 new shots
// over 3,000 images (every shot planned as a create; the images hashed once in an untimed first
// run, as any earlier plan or build would).

const LIMIT_BYTES = 200 * MB;

export const planScalingScenario: Scenario = {
  name: 'plan',
  title: 'Plan scaling',
  async run({ emulator, workDir, sharedDir, runs, log }) {
    const { large: rendered } = await ensureRenderedProjects(sharedDir, emulator, log);
    const fresh = join(workDir, 'fresh');
    const images = await writeImages(fresh, LARGE.images, 200 * 1024, 1_000_000);
    await writeStoryboard(fresh, imageStoryboard(LARGE.shots, images));
    const env = emulator.cliEnv();
    const plan = (cwd: string) => runCli(['plan', '--detailed-exitcode'], { cwd, env, rss: true, expectCodes: [0, 2] });
    await plan(fresh); // fills .bach/hashes.json, as a first plan or build would

    const measured = { rendered: [] as { maxRssBytes: number; wallMs: number }[], fresh: [] as { maxRssBytes: number; wallMs: number }[] };
    for (let run = 0; run < runs.slow; run++) {
      for (const [name, cwd, code] of [['rendered', rendered, 0], ['fresh', fresh, 2]] as const) {
        const result = await plan(cwd);
        if (result.code !== code) throw new Error(`plan in ${name} exited ${result.code}, expected ${code}`);
        measured[name].push({ maxRssBytes: result.maxRssBytes ?? Number.NaN, wallMs: result.wallMs });
      }
      log(`run ${run + 1}: rendered ${formatMb(measured.rendered.at(-1)!.maxRssBytes)}, fresh ${formatMb(measured.fresh.at(-1)!.maxRssBytes)}`);
    }
    const row = (name: 'rendered' | 'fresh', figure: string) => {
      const rss = summarize(measured[name].map((m) => m.maxRssBytes));
      const wall = summarize(measured[name].map((m) => m.wallMs));
      return {
        figure,
        value: formatSummary(rss, formatMb),
        target: '≤ 200 MB',
        ratio: `${(rss.max / LIMIT_BYTES).toFixed(2)}x the limit; ${formatMs(wall.median)}`,
        verdict: verdict(rss.max <= LIMIT_BYTES),
      };
    };
    return {
      rows: [
        row('rendered', 'plan, 10,000 shots, all rendered: peak RSS'),
        row('fresh', 'plan, 10,000 new shots / 3,000 images: peak RSS'),
      ],
      raw: measured,
    };
  },
};
