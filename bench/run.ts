import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess, type EmulatorProcess } from './lib/emulator.js';
import { describeMachine, formatMachine } from './lib/machine.js';
import { parseOptions, USAGE } from './lib/options.js';
import { CLI } from './lib/process.js';
import { writeResults, type ScenarioRecord } from './lib/results.js';
import { formatMarkdownTable, formatTable } from './lib/table.js';
import { SCENARIOS } from './scenarios/index.js';
import type { Row } from './scenarios/types.js';

// `npm run bench`: builds fixtures, runs every scenario against one emulator process on loopback,
// prints the table and writes bench/results.json. A scenario that fails is reported as such (and
// the exit code is 1); it never turns into a figure.

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const WORK_DIR = join(BENCH_DIR, '.work');
const RESULTS_FILE = join(BENCH_DIR, 'results.json');

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), SCENARIOS.map((s) => s.name));
  if (options.help) {
    process.stdout.write(`${USAGE}\nScenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    return 0;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  const selected = SCENARIOS.filter((s) => !options.only || options.only.includes(s.name));
  const machine = describeMachine();
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  log(`machine: ${formatMachine(machine)}`);

  await mkdir(WORK_DIR, { recursive: true });
  let emulator: EmulatorProcess | undefined;
  const records: Record<string, ScenarioRecord> = {};
  let failed = false;
  const stop = () => void emulator?.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    emulator = await startEmulatorProcess();
    for (const scenario of selected) {
      const started = performance.now();
      const loadAtStart = loadavg()[0]!;
      log(`${scenario.name}: ${scenario.title} (load average ${loadAtStart.toFixed(2)})`);
      const workDir = join(WORK_DIR, scenario.name);
      await mkdir(workDir, { recursive: true });
      try {
        const result = await scenario.run({ emulator, workDir, sharedDir: join(WORK_DIR, 'shared'), runs: options.runs, log: (m) => log(`  ${m}`) });
        records[scenario.name] = record(scenario.title, started, loadAtStart, result.rows, result.notes ?? [], result.raw);
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${scenario.name} failed: ${message}`);
        const row: Row = { figure: scenario.title, value: 'error', target: '–', ratio: '', verdict: 'not measured' };
        records[scenario.name] = { ...record(scenario.title, started, loadAtStart, [row], [`${scenario.title}: failed — ${message.split('\n')[0]}`], {}), error: message };
      } finally {
        if (!options.keep) await rm(workDir, { recursive: true, force: true });
      }
      log(`${scenario.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    process.off('SIGINT', stop);
    await emulator?.stop();
    if (!options.keep) await rm(WORK_DIR, { recursive: true, force: true });
  }

  const rows = Object.values(records).flatMap((r) => r.rows);
  const notes = Object.values(records).flatMap((r) => r.notes);
  process.stdout.write(`\nbach-render benchmarks — ${formatMachine(machine)}\n\n${formatTable(rows)}\n`);
  if (notes.length > 0) process.stdout.write(`\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  if (options.markdown) process.stdout.write(`\n${formatMarkdownTable(rows)}\n`);
  const missed = rows.filter((r) => r.verdict === 'MISSED');
  process.stdout.write(
    missed.length > 0
      ? `\n${missed.length} target(s) MISSED: ${missed.map((r) => r.figure).join('; ')}.\nThe figures stand as measured; docs/performance.md says why and what would fix it.\n`
      : '\nEvery measured target met.\n',
  );
  await writeResults(RESULTS_FILE, machine, records, options.only !== null);
  process.stdout.write(`Raw runs: ${RESULTS_FILE}\n`);
  return failed ? 1 : 0;
}

function record(title: string, started: number, loadAtStart: number, rows: Row[], notes: string[], raw: Record<string, unknown>): ScenarioRecord {
  const loadAverage = { start: loadAtStart, end: loadavg()[0]! };
  return { title, date: new Date().toISOString(), durationMs: Math.round(performance.now() - started), loadAverage, rows, notes, raw };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
