import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../lib/process.js';
import { formatMb, formatMs, formatSummary, summarize } from '../lib/summary.js';
import { verdict, type Scenario } from './types.js';

// How fast a manifest of many tiny invalid shots (`shots: [{},{},…]`) is refused by `validate`, at
// 100,000 and 150,000 shots, and 5 MiB of them. It used to be quadratic (53 s and 181 s; ajv concatenated the errors
// found so far once per failing shot, and every problem was described and printed); refusal is now
// linear and capped at 200 listed problems. The target is linearity: 1.5x the shots in at most 2x
// the time. Most of what remains is the YAML parser reading 100,000 tiny mappings. Past 200,000
// entries (manifest/manifest-entries.ts) a manifest is refused before it is parsed: 5 MiB of `{},`
// (1.7 million shots, the largest manifest read at all) must be refused in well under a second.

const SIZES = [100_000, 150_000] as const;
const FULL_SHOTS = Math.floor((5 * 1024 * 1024 - 32) / 3);

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
    const full = join(workDir, 'empty-5mib');
    await mkdir(full, { recursive: true });
    await writeFile(join(full, 'bach.yaml'), `version: 1\nshots: [${'{},'.repeat(FULL_SHOTS)}]\n`);
    const fullTimes: number[] = [];
    const times = new Map<number, number[]>(SIZES.map((shots) => [shots, []]));
    const rss = new Map<number, number[]>(SIZES.map((shots) => [shots, []]));
    for (let run = 0; run < runs.slow; run++) {
      for (const shots of SIZES) {
        const result = await runCli(['validate'], { cwd: folders.get(shots)!, rss: true, expectCodes: [1] });
        if (!new RegExp(`bach\\.yaml: ${shots} errors\\n$`).test(result.stderr)) throw new Error(`unexpected validate output for ${shots} shots:\n${result.stderr.slice(-500)}`);
        times.get(shots)!.push(result.wallMs);
        rss.get(shots)!.push(result.maxRssBytes ?? Number.NaN);
      }
      const refused = await runCli(['validate'], { cwd: full, expectCodes: [1] });
      if (!refused.stderr.includes('error[manifest-too-large]')) throw new Error(`unexpected validate output for 5 MiB:\n${refused.stderr.slice(-500)}`);
      fullTimes.push(refused.wallMs);
      log(`run ${run + 1}: ${SIZES.map((shots) => `${shots.toLocaleString('en')} shots ${formatMs(times.get(shots)!.at(-1)!)}`).join(', ')}`);
    }
    const [small, large] = SIZES.map((shots) => summarize(times.get(shots)!));
    const ratio = large!.median / small!.median;
    const fullRefusal = summarize(fullTimes);
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
          figure: 'same, 150,000 invalid shots (440 KiB)',
          value: formatSummary(large!, formatMs),
          target: '≤ 2x the 100,000-shot figure (linear: 1.5x the shots)',
          ratio: `${ratio.toFixed(2)}x 100,000 shots; peak RSS ${peak(SIZES[1])}`,
          verdict: verdict(ratio <= 2),
        },
        {
          figure: '`validate`, 5 MiB of invalid shots (1.7 million `{}`): refused in',
          value: formatSummary(fullRefusal, formatMs),
          target: '< 1 s (the whole command, node start included)',
          ratio: '–',
          verdict: verdict(fullRefusal.median < 1000),
        },
      ],
      raw: { wallMs: Object.fromEntries(times), fullRefusalMs: fullTimes, maxRssBytes: Object.fromEntries(rss), ratio },
    };
  },
};
