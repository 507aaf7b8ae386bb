import { relative, join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { loadManifest } from '../manifest/load.js';
import { createPlan } from '../plan/create-plan.js';
import { resolveSelection } from '../plan/selection.js';
import { readCacheTakes } from '../project/cache-takes.js';
import { createPlanInputs } from '../project/create-plan-inputs.js';
import { readProject } from '../project/read-project.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';

// `bach-render show ID [PATH]` (issue 15, item 6): one shot, all of it — its state in the plan, the
// request exactly as the API receives it (local files as their sha256), the seed, what bach.lock
// records (task id, output hash), the output on disk, and every take of it in the cache with its date.
// Reads only (the hash cache aside); sends nothing.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { id, path: given } = parseShowArgs(args);
  const { path } = resolveManifestPath(context.cwd, given);
  const loaded = await loadManifest(path, { cwd: context.cwd });
  reportDiagnostics(loaded, context);
  if (!loaded.ok) return 1;
  const { manifest } = loaded;
  // An unknown id is a usage error with the nearest ids suggested, as for --only.
  resolveSelection(manifest, 'show', [id]);
  const project = await readProject(manifest, { label: loaded.source.file, origin: null, now: Date.now });
  const plan = createPlan(createPlanInputs(project, { only: [], force: [] }));
  const shot = plan.shots.find((s) => s.shot.id === id)!;
  const locked = project.lock.shots[id];
  const output = project.outputs.get(shot.outputPath);
  const takes = (await readCacheTakes(project.paths.cache, project.cached)).filter(
    (take) => take.record.shotId === id || take.fingerprint === shot.fingerprint || take.fingerprint === locked?.fingerprint,
  );
  const state = shot.kind === 'unchanged' ? (shot.source === null && shot.kept ? 'kept (output altered by hand)' : 'up to date') : `${shot.kind}${shot.reasons.length > 0 ? `: ${shot.reasons.map((r) => r.text).join(', ')}` : ''}`;
  const lines = [
    `${id}  (${shot.mode}, ${shot.shot.duration} s, ${shot.shot.resolution} ${shot.shot.aspectRatio})`,
    `  state        ${state}`,
    `  seed         ${shot.seed}`,
    `  fingerprint  ${shot.fingerprint}`,
    `  output       ${relative(context.cwd, join(manifest.root, shot.outputPath)) || shot.outputPath}${output?.exists ? ` (${output.size} bytes, sha256 ${output.sha256.slice(0, 16)}…)` : ' (missing)'}`,
    locked
      ? `  bach.lock    task ${locked.taskId}, sha256 ${locked.output.sha256.slice(0, 16)}…${locked.fingerprint === shot.fingerprint ? '' : ' (another fingerprint: the shot changed since)'}`
      : '  bach.lock    no entry (never built)',
    `  takes        ${takes.length === 0 ? 'none in the cache' : `${takes.length} in .bach/cache, newest first:`}`,
    ...takes.map((take) => `    ${new Date(take.writtenMs).toISOString().replace('T', ' ').slice(0, 19)} UTC  task ${take.record.taskId}  seed ${take.record.seed}${take.fingerprint === shot.fingerprint ? '  ← the current request' : ''}${take.fingerprint === locked?.fingerprint ? '  ← in bach.lock' : ''}`),
    '  request (as the API receives it; local files as their sha256):',
    ...JSON.stringify(shot.request, null, 2).split('\n').map((line) => `    ${line}`),
  ];
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function parseShowArgs(args: string[]): { id: string; path: string | undefined } {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} }));
  } catch (error) {
    throw new UsageError(`show: ${(error as Error).message.split('\n')[0]}`, { hint: 'Usage: bach-render show ID [PATH]' });
  }
  const [id, path, ...rest] = positionals;
  if (!id || rest.length > 0) throw new UsageError('show: expected a shot id and at most one PATH', { hint: 'Usage: bach-render show ID [PATH]' });
  return { id, path };
}
