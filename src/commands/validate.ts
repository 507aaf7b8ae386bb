import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../util/cli-context.js';
import { readGuardedSecrets } from '../project/guarded-secrets.js';
import { checkTrackedEnv } from '../project/tracked-env.js';
import type { Diagnostic } from '../errors.js';
import { UsageError } from '../errors.js';
import { countErrors } from '../manifest/diagnostics.js';
import { formatDiagnostics } from '../manifest/format.js';
import { listLocalImages } from '../manifest/list-local-files.js';
import { loadManifest } from '../manifest/load.js';
import { createDiagnosticAnnotations, createFileNamer, formatAnnotations } from '../report/github-annotations.js';
import { createValidateJson, type ValidateSummary } from '../report/validate-json.js';
import { resolveManifestPath } from '../state/up-to-date.js';

// `bach-render validate [PATH]`: load only. Exit 0 with a one-line summary, or 1 with every
// problem. No network, no writes. `--json` prints report/validate-json.ts instead of text;
// `--reporter github` adds GitHub Actions annotations (report/github-annotations.ts) after the text.
// A .env tracked by git is a warning here too (project/tracked-env.ts).

type ValidateReporter = 'text' | 'json' | 'github';

export async function run(args: string[], context: CliContext): Promise<number> {
  const options = parseValidateArgs(args);
  const { path, file: manifestFile } = resolveManifestPath(context.cwd, options.path);
  const secrets = await readGuardedSecrets(manifestFile, context.env);
  const result = await loadManifest(path, { cwd: context.cwd, secrets });
  const file = result.source?.file ?? path;
  const tracked = result.source ? await checkTrackedEnv(dirname(result.source.absFile), join(dirname(file), '.env'), context.env) : undefined;
  const diagnostics: Diagnostic[] = [...(result.ok ? result.warnings : result.diagnostics), ...(tracked ? [tracked] : [])];
  const summary: ValidateSummary | null = result.ok
    ? { shots: result.manifest.shots.length, localImages: listLocalImages(result.manifest).length, seconds: result.manifest.shots.reduce((sum, shot) => sum + shot.duration, 0) }
    : null;
  if (options.reporter === 'json') {
    context.stdout.write(`${JSON.stringify(createValidateJson(file, diagnostics, summary), null, 2)}\n`);
    return result.ok ? 0 : 1;
  }
  const sources = new Map(result.source ? [[result.source.file, result.source.text]] : []);
  const color = context.stderr.isTTY && !context.env.NO_COLOR;
  if (diagnostics.length > 0) context.stderr.write(formatDiagnostics(diagnostics, sources, { color }));
  if (!result.ok) {
    const errors = countErrors(diagnostics);
    context.stderr.write(`\n${file}: ${errors} ${errors === 1 ? 'error' : 'errors'}\n`);
  } else {
    context.stdout.write(
      `${file}: valid — ${plural(summary!.shots, 'shot')}, ${plural(summary!.localImages, 'local image')}, ${plural(summary!.seconds, 'second')} of video\n`,
    );
  }
  if (options.reporter === 'github') {
    context.stdout.write(formatAnnotations(createDiagnosticAnnotations(diagnostics, createFileNamer(context.cwd, context.env))));
  }
  return result.ok ? 0 : 1;
}

function parseValidateArgs(args: string[]): { path: string | undefined; reporter: ValidateReporter } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { json: { type: 'boolean' }, reporter: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`validate: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Usage: bach-render validate [PATH] [--json | --reporter github]   (run `bach-render validate --help`)',
    });
  }
  const { positionals, values } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`validate: expected at most one PATH, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  return { path: positionals[0], reporter: parseReporter(values.json ?? false, values.reporter) };
}

/** `--json` is `--reporter json`; `auto` and `plain` are the text. */
function parseReporter(json: boolean, flag: string | undefined): ValidateReporter {
  if (json && flag !== undefined && flag !== 'json') throw new UsageError(`validate: --json and --reporter ${flag} cannot be combined`);
  if (json) return 'json';
  if (flag === undefined || flag === 'auto' || flag === 'plain') return 'text';
  if (flag === 'json' || flag === 'github') return flag;
  throw new UsageError(`validate: --reporter must be auto, plain, json or github, got "${flag}"`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
