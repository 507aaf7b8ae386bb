import type { CliContext } from '../cli/context.js';
import type { PlanValues } from '../commands/plan.js';
import { resolveBaseUrl } from '../api/credentials.js';
import { readGuardedSecrets } from '../api/guarded-secrets.js';
import { lockfilePathFor, readLockfile } from '../lock/lockfile-io.js';
import { loadManifest } from '../manifest/load.js';
import { formatPlan } from '../plan/format-plan.js';
import { createCheckedPlan, gatherPlanInputs } from '../plan/gather-plan-inputs.js';
import { createPlanJson } from '../plan/plan-json.js';
import { resolveSelection } from '../plan/selection.js';
import type { Palette } from '../report/colors.js';
import { HashCache } from '../state/hash-cache.js';
import { Journal } from '../state/journal.js';
import { statePaths } from '../state/paths.js';
import { assertProjectLinksInside } from '../state/project-links.js';
import { stampOf } from '../state/up-to-date.js';
import { UploadRecords } from '../state/upload-records.js';
import { noteUpToDate } from './build-once.js';
import { reportDiagnostics } from './report-load-failure.js';

// The full `bach-render plan` (commands/plan.ts answers a no-op from the up-to-date snapshot first).

export interface RunPlanOptions {
  path: string;
  manifestFile: string | null;
  values: PlanValues;
  detailed: boolean;
  palette: Palette;
}

export async function runPlan(options: RunPlanOptions, context: CliContext): Promise<number> {
  const { values, detailed, palette, manifestFile, path } = options;
  const manifestStamp = manifestFile ? stampOf(manifestFile) : null;
  const secrets = await readGuardedSecrets(manifestFile, context.env);
  const loaded = await loadManifest(path, { cwd: context.cwd, cache: true, secrets });
  reportDiagnostics(loaded, context, values.json ?? false);
  if (!loaded.ok) return 1;
  const { manifest } = loaded;
  const paths = statePaths(manifest.root);
  const only = resolveSelection(manifest, '--only', values.only);
  const force = resolveSelection(manifest, '--force', values.force);
  const lockPath = lockfilePathFor(manifest.file);
  // A plan writes caches into .bach/ and reads the lockfile: neither may lead out of the project.
  await assertProjectLinksInside({ root: manifest.root, lockfile: lockPath, output: manifest.output });
  const lockStamp = stampOf(lockPath);
  const { lock } = await readLockfile(lockPath, lockfilePathFor(loaded.source.file));
  const journal = new Journal(paths.journal).readAll().entries;
  const [hashCache, uploads] = await Promise.all([HashCache.read(paths.hashes), UploadRecords.read(paths.uploads)]);
  const origin = new URL(resolveBaseUrl(values['base-url'], context.env)).origin;
  const inputs = await gatherPlanInputs({
    manifest,
    lock,
    paths,
    hashCache,
    journal,
    uploaded: new Set(uploads.urlsFor(origin).keys()),
    now: Date.now,
    only,
    force,
  });
  const plan = await createCheckedPlan(inputs, { cacheDir: paths.cache, warn: (message) => context.stderr.write(`warning: ${message}\n`) });
  await noteUpToDate({ manifest, manifestStamp, flags: { only: values.only, force: values.force } }, { plan, lockPath, lockStamp, hashCache, journalEntries: journal });
  await hashCache.write(paths.hashes).catch(() => {});
  if (values.json) {
    context.stdout.write(`${JSON.stringify(createPlanJson(plan, loaded.source.file), null, 2)}\n`);
  } else {
    context.stdout.write(formatPlan(plan, palette));
  }
  return detailed && plan.changes ? 2 : 0;
}
