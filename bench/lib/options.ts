import { parseArgs } from 'node:util';

// `npm run bench -- [--only NAME[,NAME]] [--runs N] [--slow-runs N] [--keep] [--markdown]`.

export interface BenchOptions {
  only: string[] | null;
  runs: { fast: number; slow: number };
  keep: boolean;
  markdown: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Generates its fixtures in bench/.work/, runs the built CLI against the emulator on 127.0.0.1,
prints a table (median of several runs, with min and max) and writes bench/results.json.

Options:
  --only NAME[,NAME]  Run only these scenarios (repeatable); results.json keeps the others.
  --runs N            Runs of a fast figure (default 5).
  --slow-runs N       Runs of a slow figure (default 3).
  --keep              Keep bench/.work/ (fixtures, rendered storyboards) for the next run.
  --markdown          Also print the table as Markdown (for docs/performance.md).
  --help              This text.
`;

export function parseOptions(argv: string[], known: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      runs: { type: 'string' },
      'slow-runs': { type: 'string' },
      keep: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const only = values.only ? values.only.flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean) : null;
  for (const name of only ?? []) {
    if (!known.includes(name)) throw new Error(`unknown scenario "${name}"; known: ${known.join(', ')}`);
  }
  return {
    only,
    runs: { fast: count(values.runs, 5, '--runs'), slow: count(values['slow-runs'], 3, '--slow-runs') },
    keep: values.keep ?? false,
    markdown: values.markdown ?? false,
    help: values.help ?? false,
  };
}

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new Error(`${flag} must be a whole number from 1 to 50, got ${value}`);
  return n;
}
