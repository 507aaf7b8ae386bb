import { parseArgs } from 'node:util';
import type { CliContext } from '../cli/context.js';
import { cleanParseError } from '../build/flags.js';
import { UsageError } from '../errors.js';
import { formatNoChanges } from '../plan/format-plan.js';
import { createPalette, shouldUseColor } from '../report/colors.js';
import { checkUpToDate, resolveManifestPath } from '../state/up-to-date.js';
import { snapshotVersion } from '../version.js';

// `bach-render plan [PATH]`: what a build would do and why — and nothing else. It writes no file
// but caches in .bach/ (file hashes, the parsed manifest, the up-to-date snapshot) and needs no
// credentials. `--detailed-exitcode` follows Terraform: 0 no changes, 2 changes pending, 1 error.
// A plan with nothing to do is answered from the up-to-date snapshot; the rest is build/run-plan.ts.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parse(args);
  const detailed = values['detailed-exitcode'] ?? false;
  const { path, file: manifestFile } = resolveManifestPath(context.cwd, positionals[0]);
  const palette = createPalette(shouldUseColor(context.stdout.isTTY, context.env));
  if (manifestFile && !values.json && values.reporter !== 'github' && !values.only && !values.force) {
    const ids = checkUpToDate(manifestFile, snapshotVersion());
    if (ids) {
      context.stdout.write(formatNoChanges(ids, palette));
      return 0;
    }
  }
  return (await import('../build/run-plan.js')).runPlan({ path, manifestFile, values, detailed, palette }, context);
}

export type PlanValues = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        'detailed-exitcode': { type: 'boolean' },
        only: { type: 'string', multiple: true },
        force: { type: 'string', multiple: true },
        'base-url': { type: 'string' },
        reporter: { type: 'string' },
      },
    });
    if (parsed.positionals.length > 1) throw new UsageError(`plan: unexpected argument "${parsed.positionals[1]}"`);
    // `--reporter json` is `--json`; `github` adds annotations (report/github-annotations.ts) to the text.
    const reporter = parsed.values.reporter;
    if (reporter !== undefined && !['auto', 'plain', 'json', 'github'].includes(reporter)) {
      throw new UsageError(`plan: --reporter must be auto, plain, json or github, got "${reporter}"`);
    }
    if (reporter === 'json') parsed.values.json = true;
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(cleanParseError(error, 'plan'));
  }
}
