import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, formatMachine } from './lib/machine.js';
import { parseOptions } from './lib/options.js';
import { formatTable } from './lib/table.js';
import { measureTeamCache } from './scenarios/team-cache.js';

// `npm run bench:team-cache [-- --runs N --slow-runs N --keep]`: the team-cache figures alone (it
// starts radosgw, and an emulator of its own for the CLI pull), printed as a table. `npm run bench` runs the same scenario with the others and
// records it in bench/results.json.

const WORK_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '.work', 'team-cache-alone');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), ['team-cache']);
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  log(`machine: ${formatMachine(describeMachine())}`);
  await mkdir(WORK_DIR, { recursive: true });
  try {
    const result = await measureTeamCache({ workDir: WORK_DIR, runs: options.runs, log });
    process.stdout.write(`\n${formatTable(result.rows)}\n`);
    for (const note of result.notes ?? []) process.stdout.write(`- ${note}\n`);
  } finally {
    if (!options.keep) await rm(WORK_DIR, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
