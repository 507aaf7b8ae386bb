import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resetProject, textShots, textStoryboard, writeStoryboard, type TextShot } from '../lib/fixtures.js';
import { CLI, startNode, type Running } from '../lib/process.js';
import { formatMb, formatMs, formatSummary, summarize } from '../lib/summary.js';
import { verdict, type Scenario, type ScenarioResult } from './types.js';

// Figure 5: `bach-render watch` (default debounce, 100 ms) on a 20-shot storyboard it renders at
// start. Each round writes bach.yaml with one prompt changed to a text never used before (a fresh
// project and a per-run nonce, so the edit can never be restored from .bach/cache), measures until
// the emulator logs the new task's creation, then waits for `watch:idle` before the next round.
// One untimed round first (the watcher's own warm-up).

const SHOTS = 20;
const TARGET_MS = 300;
const CREATED = /^task \S+ created/;

export const watchLatencyScenario: Scenario = {
  name: 'watch',
  title: 'Watch latency',
  async run({ emulator, workDir, runs, log }) {
    const root = join(workDir, 'project');
    const shots = textShots(SHOTS, 'Watched');
    const nonce = Date.now().toString(36);
    await resetProject(root);
    await writeStoryboard(root, textStoryboard(shots));
    await emulator.prepare({ processingMs: 50 });

    const events: { type: string; atMs: number }[] = [];
    const waiters: { type: string; after: number; resolve: () => void }[] = [];
    const running = startNode([CLI, 'watch', '--reporter', 'json', '--poll-interval', '0.05'], {
      cwd: root,
      env: emulator.cliEnv(),
      rss: true,
      timeoutMs: 300_000,
      onLine(line, atMs) {
        let type: string;
        try {
          type = (JSON.parse(line) as { type: string }).type;
        } catch {
          return;
        }
        events.push({ type, atMs });
        for (const waiter of waiters.splice(0)) {
          if (type === waiter.type && events.length > waiter.after) waiter.resolve();
          else waiters.push(waiter);
        }
      },
    });
    const exited = running.result.then((result) => {
      throw new Error(`watch exited early (${result.code ?? result.signal}):\n${result.stderr.slice(-2000)}\n${result.stdout.slice(-1500)}`);
    });
    exited.catch(() => {});
    const next = (type: string, timeoutMs = 60_000) => {
      const after = events.length;
      return Promise.race([
        exited,
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`watch: no ${type} within ${timeoutMs} ms`)), timeoutMs);
          waiters.push({ type, after, resolve: () => (clearTimeout(timer), resolve()) });
        }),
      ]);
    };

    try {
      await next('watch:idle'); // the first run renders all shots
      const latencies: number[] = [];
      for (let round = 0; round <= runs.fast; round++) {
        const edited = shots.map((shot, i): TextShot => (i === round % SHOTS ? { ...shot, prompt: `${shot.prompt}, edit ${nonce}-${round}` } : shot));
        const created = new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => (stop(), reject(new Error(`watch: no submission within 30 s of save ${round}`))), 30_000);
          const stop = emulator.onLog(({ at, line }) => {
            if (CREATED.test(line)) {
              stop();
              clearTimeout(timer);
              resolve(at);
            }
          });
        });
        const idle = next('watch:idle');
        const savedAt = performance.now();
        await writeFile(join(root, 'bach.yaml'), textStoryboard(edited));
        const latency = (await Promise.race([created, exited])) - savedAt;
        await idle;
        if (round > 0) latencies.push(latency); // round 0 is the warm-up
        log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${formatMs(latency)}`);
        shots.splice(0, shots.length, ...edited);
      }
      const result = await stopWatch(running);
      return summarizeLatencies(latencies, result.maxRssBytes);
    } finally {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    }
  },
};

async function stopWatch(running: Running) {
  running.child.kill('SIGINT');
  const result = await running.result.catch(() => null);
  if (!result || result.code !== 130) throw new Error(`watch did not stop with 130 on Ctrl-C: ${result?.code ?? 'no result'}`);
  return result;
}

function summarizeLatencies(latencies: number[], maxRssBytes: number | undefined): ScenarioResult {
  const latency = summarize(latencies);
  return {
    rows: [
      {
        figure: 'watch: save of a one-line prompt change → submission received',
        value: formatSummary(latency, formatMs),
        target: `≤ ${TARGET_MS} ms (debounce included)`,
        ratio: `${(latency.median / TARGET_MS).toFixed(2)}x the target`,
        verdict: verdict(latency.median <= TARGET_MS),
      },
      { figure: 'watch session peak RSS', value: maxRssBytes === undefined ? 'n/a' : formatMb(maxRssBytes), target: '–', ratio: '', verdict: 'info' },
    ],
    raw: { latenciesMs: latencies, maxRssBytes: maxRssBytes ?? null, shots: SHOTS },
  };
}
