import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../lib/process.js';
import { formatMb, formatMs, formatSummary, summarize } from '../lib/summary.js';
import { verdict, type Scenario } from './types.js';

// How fast a manifest of many tiny invalid shots (`shots: [{},{},…]`) is refused by `validate`, at
// 100,000 and 200,000 shots. It used to be quadratic (53 s and 181 s; ajv concatenated the errors
// found so far once per failing shot, and every problem was described and printed); refusal is now
// linear and capped at 200 listed problems. The target is linearity: twice the shots, at most 2.5x
// the time. Most of what remains is the YAML parser reading 100,000 tiny mappings.

const SIZES = [100_000, 200_000] as const;

export const refusalScenario: Scenario = {
  name: 'refusal',
  title: 'Refusing many invalid shots',
  async run({ workDir, runs, log }) {
    const folders = new Map<number, string>();
    for (const shots of SIZES) {
      const folder = join(workDir, `empty-${shots}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'bach.yaml'), `version: 1\nshots: [${Array(shots).fill('{}').join(',')}]\n`);
      folders.set(shots, folder);
    }
    const times = new Map<number, number[]>(SIZES.map((shots) => [shots, []]));
    const rss = new Map<number, number[]>(SIZES.map((shots) => [shots, []]));
    for (let run = 0; run < runs.slow; run++) {
      for (const shots of SIZES) {
        const result = await runCli(['validate'], { cwd: folders.get(shots)!, rss: true, expectCodes: [1] });
        if (!new RegExp(`bach\\.yaml: ${shots} errors\\n$`).test(result.stderr)) throw new Error(`unexpected validate output for ${shots} shots:\n${result.stderr.slice(-500)}`);
        times.get(shots)!.push(result.wallMs);
        rss.get(shots)!.push(result.maxRssBytes ?? Number.NaN);
      }
      log(`run ${run + 1}: ${SIZES.map((shots) => `${shots.toLocaleString('en')} shots ${formatMs(times.get(shots)!.at(-1)!)}`).join(', ')}`);
    }
    const [small, large] = SIZES.map((shots) => summarize(times.get(shots)!));
    const ratio = large!.median / small!.median;
    const peak = (shots: number) => formatMb(Math.max(...rss.get(shots)!));
    return {
      rows: [
        {
          figure: '`validate`, 100,000 invalid shots `{}` (293 KiB): refused in',
          value: formatSummary(small!, formatMs),
          target: '–',
          ratio: `peak RSS ${peak(SIZES[0])}`,
          verdict: 'info',
        },
        {
          figure: 'same, 200,000 invalid shots (586 KiB)',
          value: formatSummary(large!, formatMs),
          target: '≤ 2.5x the 100,000-shot figure (linear)',
          ratio: `${ratio.toFixed(2)}x 100,000 shots; peak RSS ${peak(SIZES[1])}`,
          verdict: verdict(ratio <= 2.5),
        },
      ],
      raw: { wallMs: Object.fromEntries(times), maxRssBytes: Object.fromEntries(rss), ratio },
    };
  },
};
