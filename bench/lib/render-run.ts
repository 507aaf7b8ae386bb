import type { EmulatorStats } from '../../src/emulator/index.js';
import type { EmulatorProcess, LogLine } from './emulator.js';
import { resetProject } from './fixtures.js';
import { startNode, CLI, type RunResult } from './process.js';

// One measured build from scratch: forget the project's state, reset the emulator with the
// scenario's settings, run `bach-render build`, and return its wall time and peak RSS together with
// the emulator's counters and its timestamped request log (times relative to the spawn).

export interface RenderRun {
  result: RunResult;
  stats: EmulatorStats;
  /** API requests in arrival order: ms since spawn, method + path, HTTP status. */
  requests: { atMs: number; route: string; status: number }[];
  /** The build's NDJSON events with their arrival time (ms since spawn). */
  events: { atMs: number; event: { type: string } & Record<string, unknown> }[];
}

const REQUEST_LINE = /^(GET|POST|HEAD) (\/api\/vdr\/\S*) → (\d+)$/;

export async function renderFromScratch(
  root: string,
  emulator: EmulatorProcess,
  settings: Parameters<EmulatorProcess['prepare']>[0],
  args: string[],
  options: { rss?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv; afterReset?: () => Promise<void> } = {},
): Promise<RenderRun> {
  await resetProject(root);
  // What a scenario puts back into the fresh project (e.g. durations an earlier build learned).
  await options.afterReset?.();
  await emulator.prepare(settings);
  const lines: LogLine[] = [];
  const events: RenderRun['events'] = [];
  const unsubscribe = emulator.onLog((entry) => lines.push(entry));
  try {
    const running = startNode([CLI, 'build', '--reporter', 'json', ...args], {
      cwd: root,
      env: emulator.cliEnv(options.env),
      rss: options.rss ?? false,
      timeoutMs: options.timeoutMs ?? 600_000,
      onLine(line, atMs) {
        try {
          events.push({ atMs, event: JSON.parse(line) as RenderRun['events'][number]['event'] });
        } catch {
          // not an event line
        }
      },
    });
    const result = await running.result;
    // The last request-log lines may still be in the pipe from the emulator when the build exits.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (result.code !== 0) throw new Error(`build exited ${result.code ?? result.signal} in ${root}\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-3000)}`);
    const requests = lines.flatMap(({ at, line }) => {
      const match = REQUEST_LINE.exec(line);
      return match ? [{ atMs: at - running.startedAt, route: `${match[1]} ${match[2]}`, status: Number(match[3]) }] : [];
    });
    return { result, stats: await emulator.stats(), requests, events };
  } finally {
    unsubscribe();
  }
}
