import { parseArgs } from 'node:util';
import type { CliContext } from '../cli/context.js';
import { cleanParseError } from '../build/flags.js';
import { reportDiagnostics } from '../build/report-load-failure.js';
import { UsageError } from '../errors.js';
import { lockfilePathFor, readLockfile } from '../lock/lockfile-io.js';
import { loadManifest } from '../manifest/load.js';
import { resolveBaseUrl } from '../api/credentials.js';
import { createPlan } from '../plan/create-plan.js';
import { formatPlan } from '../plan/format-plan.js';
import { gatherPlanInputs } from '../plan/gather-plan-inputs.js';
import { createPlanJson } from '../plan/plan-json.js';
import { resolveSelection } from '../plan/selection.js';
import { createPalette, shouldUseColor } from '../report/colors.js';
import { HashCache } from '../state/hash-cache.js';
import { Journal } from '../state/journal.js';
import { statePaths } from '../state/paths.js';
import { UploadRecords } from '../state/upload-records.js';

// `bach-render plan [PATH]`: what a build would do and why — and nothing else. It writes no file
// but caches in .bach/ (file hashes, the parsed manifest) and needs no credentials. `--detailed-exitcode` follows Terraform:
// 0 no changes, 2 changes pending, 1 error.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parse(args);
  const detailed = values['detailed-exitcode'] ?? false;
  const loaded = await loadManifest(positionals[0] ?? '.', { cwd: context.cwd, cache: true });
  reportDiagnostics(loaded, context, values.json ?? false);
  if (!loaded.ok) return 1;
  const { manifest } = loaded;
  const paths = statePaths(manifest.root);
  const only = resolveSelection(manifest, '--only', values.only);
  const force = resolveSelection(manifest, '--force', values.force);
  const { lock } = await readLockfile(lockfilePathFor(manifest.file), lockfilePathFor(loaded.source.file));
  const [hashCache, uploads] = await Promise.all([HashCache.read(paths.hashes), UploadRecords.read(paths.uploads)]);
  const origin = new URL(resolveBaseUrl(values['base-url'], context.env)).origin;
  const inputs = await gatherPlanInputs({
    manifest,
    lock,
    paths,
    hashCache,
    journal: new Journal(paths.journal).readAll().entries,
    uploaded: new Set(uploads.urlsFor(origin).keys()),
    now: Date.now,
    only,
    force,
  });
  const plan = createPlan(inputs);
  await hashCache.write(paths.hashes).catch(() => {});
  if (values.json) {
    context.stdout.write(`${JSON.stringify(createPlanJson(plan, loaded.source.file), null, 2)}\n`);
  } else {
    context.stdout.write(formatPlan(plan, createPalette(shouldUseColor(context.stdout.isTTY, context.env))));
  }
  return detailed && plan.changes ? 2 : 0;
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
      },
    });
    if (parsed.positionals.length > 1) throw new UsageError(`plan: unexpected argument "${parsed.positionals[1]}"`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(cleanParseError(error, 'plan'));
  }
}
