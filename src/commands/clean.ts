import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { loadManifest } from '../manifest/load.js';
import { createPlan } from '../plan/create-plan.js';
import { chooseCacheToRemove } from '../plan/prune-cache.js';
import { readCacheTakes } from '../project/cache-takes.js';
import { createPlanInputs } from '../project/create-plan-inputs.js';
import { readProject } from '../project/read-project.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { createReporter } from '../report/create-reporter.js';
import { acquireFolder } from '../session/acquire-folder.js';
import { cacheVideoPath } from '../state/result-cache.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';
import { parseNumber } from '../util/parse-number.js';

// `bach-render clean [PATH] [--yes] [--keep N]` (issue 15, item 6): removes the outputs of shots no
// longer in the manifest, and prunes `.bach/cache` to what bach.lock, the current shots and the
// journal reference plus the newest N takes of each shot (plan/prune-cache.ts). Dry by default: it
// lists what it would remove; `--yes` removes it. It takes the folder as a build does, so it never
// removes what a running build is about to use. Sends nothing, needs no keys.

const DEFAULT_KEEP = 3;

export async function run(args: string[], context: CliContext): Promise<number> {
  const options = parseCleanArgs(args);
  const { path } = resolveManifestPath(context.cwd, options.path);
  const loaded = await loadManifest(path, { cwd: context.cwd });
  reportDiagnostics(loaded, context);
  if (!loaded.ok) return 1;
  const { manifest } = loaded;
  const reporter = await createReporter('plain', context);
  const lock = await acquireFolder(manifest.root, { wait: false, interrupt: context.interrupt, reporter, command: 'clean' });
  try {
    const project = await readProject(manifest, { label: loaded.source.file, origin: null, now: Date.now });
    const plan = createPlan(createPlanInputs(project, { only: [], force: [] }));
    const referenced = new Set<string>([
      ...Object.values(project.lock.shots).map((entry) => entry.fingerprint),
      ...plan.shots.map((shot) => shot.fingerprint),
      ...project.journalEntries.map((entry) => entry.fingerprint),
    ]);
    const takes = await readCacheTakes(project.paths.cache, project.cached);
    const cache = chooseCacheToRemove(
      takes.map((take) => ({ fingerprint: take.fingerprint, shotId: take.record.shotId, writtenMs: take.writtenMs })),
      referenced,
      options.keep,
    );
    const strays = plan.strayOutputs ?? [];
    const shown = (file: string) => relative(context.cwd, file) || file;
    const bytes = takes.filter((take) => cache.includes(take.fingerprint)).reduce((sum, take) => sum + take.record.size, 0);
    if (strays.length === 0 && cache.length === 0) {
      context.stdout.write(`Nothing to clean: no output of a removed shot, and the cache holds only what is referenced or among the newest ${options.keep} takes of a shot.\n`);
      return 0;
    }
    const verb = options.yes ? 'Removed' : 'Would remove';
    for (const stray of strays) context.stdout.write(`${verb} ${shown(join(manifest.root, stray))} (its shot is no longer in the manifest)\n`);
    if (cache.length > 0) context.stdout.write(`${verb} ${cache.length} cached take${cache.length === 1 ? '' : 's'} (${(bytes / 1024 / 1024).toFixed(1)} MB) that nothing references, beyond the newest ${options.keep} of each shot\n`);
    if (!options.yes) {
      context.stdout.write('Nothing was removed: run again with --yes to remove it.\n');
      return 0;
    }
    for (const stray of strays) await rm(join(manifest.root, stray), { force: true });
    for (const fingerprint of cache) {
      // The record first: without it the video is no cache entry, so a crash between leaves no half-entry in use.
      await rm(join(project.paths.cache, `${fingerprint}.json`), { force: true });
      await rm(cacheVideoPath(project.paths.cache, fingerprint), { force: true });
    }
    return 0;
  } finally {
    await lock.release();
    await reporter.close();
  }
}

function parseCleanArgs(args: string[]): { path: string | undefined; yes: boolean; keep: number } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { yes: { type: 'boolean', short: 'y' }, keep: { type: 'string' } } });
  } catch (error) {
    throw new UsageError(`clean: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render clean [PATH] [--yes] [--keep N]' });
  }
  if (parsed.positionals.length > 1) throw new UsageError(`clean: expected at most one PATH, got ${parsed.positionals.length}`);
  return {
    path: parsed.positionals[0],
    yes: parsed.values.yes ?? false,
    keep: parsed.values.keep === undefined ? DEFAULT_KEEP : parseNumber('--keep', parsed.values.keep, { integer: true, min: 0, max: 1000 }),
  };
}
