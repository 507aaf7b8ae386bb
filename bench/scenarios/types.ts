import type { EmulatorProcess } from '../lib/emulator.js';

// What every scenario gets and gives back. A scenario measures, it does not judge silently: each
// row carries its target and a verdict, and `raw` keeps every run for results.json.

export interface ScenarioContext {
  emulator: EmulatorProcess;
  /** bench/.work/<scenario>: the scenario's own fixtures. */
  workDir: string;
  /** bench/.work/shared: fixtures more than one scenario uses (the rendered storyboards). */
  sharedDir: string;
  /** Runs of a fast figure (default 5) and of a slow one (default 3). */
  runs: { fast: number; slow: number };
  log(message: string): void;
}

export type Verdict = 'met' | 'MISSED' | 'info' | 'not measured';

export interface Row {
  figure: string;
  value: string;
  target: string;
  /** e.g. "2.4x bare node", "ratio 1.07"; empty when there is none. */
  ratio: string;
  verdict: Verdict;
}

export interface ScenarioResult {
  rows: Row[];
  /** Every run and count behind the rows, for results.json. */
  raw: Record<string, unknown>;
  /** Plain sentences printed after the table (why a target was missed, what a figure means). */
  notes?: string[];
}

export interface Scenario {
  name: string;
  title: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

export function verdict(met: boolean): Verdict {
  return met ? 'met' : 'MISSED';
}
