import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { formatNoChanges } from '../plan/format-plan.js';
import type { BuildFlags } from '../project/build-settings.js';
import { answerFromSnapshot } from '../project/no-op.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';
import { createPalette, shouldUseColor } from '../util/palette.js';
import { cleanParseError, quietBuildFlags } from './build-flags.js';
import { readCommandSettings, reportMissingManifest } from './command-settings.js';
import { readRemoteFlags, REMOTE_OPTIONS } from './remote-flags.js';

// `bach-render plan [PATH]`: what a build would do and why — and nothing else. It writes no file
// but caches in .bach/ (file hashes, the parsed manifest, the up-to-date snapshot) and needs no
// credentials. `--detailed-exitcode` follows Terraform: 0 no changes, 2 changes pending, 1 error.
// A plan with nothing to do is answered from the up-to-date snapshot; the rest is run-plan.ts.
// The settings are a build's (the same address, so the same upload records), sending nothing to the
// API. With a team cache (and not --no-remote), the shots it would pay for are looked up there once
// (HEADs or LISTs, whichever is cheaper for the count) and shown as coming from it: run-plan.ts.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parse(args);
  const json = values.json ?? false;
  const github = values.reporter === 'github';
  const { path, file: manifestFile } = resolveManifestPath(context.cwd, positionals[0]);
  if (!manifestFile) return reportMissingManifest(path, context, json);
  const settings = await readCommandSettings(planFlags(path, values), context, manifestFile);
  const palette = createPalette(shouldUseColor(context.stdout.isTTY, context.env));
  // JSON and annotations have forms of their own: the full path prints them.
  if (!json && !github) {
    const ids = answerFromSnapshot(manifestFile, settings);
    if (ids) {
      context.stdout.write(formatNoChanges(ids, palette));
      return 0;
    }
  }
  const detailed = values['detailed-exitcode'] ?? false;
  return (await import('./run-plan.js')).runPlan({ settings, manifestFile, json, github, detailed, palette }, context);
}

/** A plan is a dry run's plan: the settings of a build that sends nothing. */
function planFlags(path: string, values: ReturnType<typeof parse>['values']): BuildFlags {
  return quietBuildFlags(path, { only: values.only ?? [], force: values.force ?? [], baseUrl: values['base-url'], dryRun: true, queriesApi: true, remote: readRemoteFlags(values) });
}

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
        ...REMOTE_OPTIONS,
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
