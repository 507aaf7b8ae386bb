import { parseArgs } from 'node:util';
import { readGuardedSecrets } from '../api/guarded-secrets.js';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../errors.js';
import { countErrors } from '../manifest/diagnostics.js';
import { formatDiagnostics } from '../manifest/format.js';
import { listLocalImages } from '../manifest/list-local-files.js';
import { loadManifest, MANIFEST_FILE_NAME } from '../manifest/load.js';
import { locateManifestFile } from '../state/up-to-date.js';

// `bach-render validate [PATH]`: load only. Exit 0 with a one-line summary, or 1 with every
// problem. No network, no writes.

export async function run(args: string[], context: CliContext): Promise<number> {
  const path = parseValidateArgs(args);
  const secrets = await readGuardedSecrets(locateManifestFile(context.cwd, path), context.env);
  const result = await loadManifest(path, { cwd: context.cwd, secrets });
  const sources = new Map(result.source ? [[result.source.file, result.source.text]] : []);
  const color = context.stderr.isTTY && !context.env.NO_COLOR;
  const file = result.source?.file ?? path;
  if (!result.ok) {
    context.stderr.write(formatDiagnostics(result.diagnostics, sources, { color }));
    const errors = countErrors(result.diagnostics);
    context.stderr.write(`\n${file}: ${errors} ${errors === 1 ? 'error' : 'errors'}\n`);
    return 1;
  }
  if (result.warnings.length > 0) context.stderr.write(formatDiagnostics(result.warnings, sources, { color }));
  const { shots } = result.manifest;
  const seconds = shots.reduce((sum, shot) => sum + shot.duration, 0);
  const images = listLocalImages(result.manifest).length;
  context.stdout.write(
    `${file}: valid — ${plural(shots.length, 'shot')}, ${plural(images, 'local image')}, ${plural(seconds, 'second')} of video\n`,
  );
  return 0;
}

function parseValidateArgs(args: string[]): string {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true }));
  } catch (error) {
    throw new UsageError(`validate: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Usage: bach-render validate [PATH]   (run `bach-render validate --help`)',
    });
  }
  if (positionals.length > 1) {
    throw new UsageError(`validate: expected at most one PATH, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  return positionals[0] ?? MANIFEST_FILE_NAME;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
