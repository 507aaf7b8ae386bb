import { readFile, writeFile } from 'node:fs/promises';
import type { Machine } from './machine.js';
import type { Row } from '../scenarios/types.js';

// bench/results.json: the machine, the date, and per scenario the table rows and every raw run.
// `--only` replaces just the scenarios it ran and keeps the others from the previous file.

export interface ScenarioRecord {
  title: string;
  date: string;
  durationMs: number;
  /** 1-minute load average at the scenario's start and end: the machine may be shared (noise). */
  loadAverage: { start: number; end: number };
  rows: Row[];
  notes: string[];
  raw: Record<string, unknown>;
  error?: string;
}

export interface Results {
  date: string;
  machine: Machine;
  scenarios: Record<string, ScenarioRecord>;
}

export async function writeResults(file: string, machine: Machine, scenarios: Record<string, ScenarioRecord>, merge: boolean): Promise<Results> {
  let previous: Results['scenarios'] = {};
  if (merge) {
    try {
      previous = (JSON.parse(await readFile(file, 'utf8')) as Results).scenarios ?? {};
    } catch {
      // No earlier results: this run's are the whole file.
    }
  }
  const results: Results = { date: new Date().toISOString(), machine, scenarios: { ...previous, ...scenarios } };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
