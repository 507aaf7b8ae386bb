import type { BuildSettings } from '../project/build-settings.js';
import type { Reporter } from '../report/reporter.js';
import type { RunReport } from '../render/events.js';
import type { TeamCache } from '../remote/open-team-cache.js';
import type { CliContext } from '../util/cli-context.js';

// The team cache around a build (issue 11, items 3 and 11 — the part wired so far): before the build
// plans what it pays for, it fetches from the team cache, for free,
//   1. every result bach.lock describes for a shot's *current* request that is not here (a teammate's
//      clone, CI, a lock that names a take this machine lacks — fetched, never replaced by a new take
//      of our own, so bach.lock converges instead of ping-ponging), verified against the lock's sha256;
//   2. the result of every other shot the plan would render, looked up by fingerprint (one lookup
//      for all of them) and verified against its record;
// then plans and builds as usual (those shots are now restores). After the build, every result it
// rendered is pushed (unless the team cache is read-only). A team-cache failure is one warning line
// naming the remote and the build goes on locally — unless --require-remote, which stops it before
// anything is paid. The no-op build never gets here (no network). Not yet wired: claims (two machines
// building the same shot at the same moment) and the plan's own markers for team-cache sources.

export interface BuildTeamCache {
  close(): Promise<void>;
  /** After the build: push what it rendered. */
  pushRendered(report: RunReport): Promise<void>;
}

export async function fetchFromTeamCache(manifestFile: string, settings: BuildSettings, context: CliContext, reporter: Pick<Reporter, 'message'>): Promise<BuildTeamCache | null> {
  const [{ readLockedShots }, { openProjectRemote, resolveProjectRemote }] = await Promise.all([import('./read-locked-shots.js'), import('../project/project-remote.js')]);
  const quiet = { ...context, stderr: { write: () => {}, isTTY: false } };
  const locked = await readLockedShots(manifestFile, quiet);
  if (!locked.ok) return null;
  const remote = resolveProjectRemote(settings.remote, locked.manifest, context);
  const team = await openProjectRemote(remote, locked.manifest.root, context.env);
  if (!team) return null;
  const require = remote.require;
  const failed = (message: string) => {
    if (require) throw Object.assign(new Error(`${message} (--require-remote: nothing was paid for)`), { name: 'TeamCacheRequired' });
    reporter.message('warn', message);
  };
  try {
    const fetched = await fetchAll(locked, team, context, failed);
    if (fetched > 0) reporter.message('info', `Team cache ${team.name}: ${fetched} result${fetched === 1 ? '' : 's'} fetched, free`);
  } catch (error) {
    await team.close();
    if (error instanceof Error && error.name === 'TeamCacheRequired') {
      const { BachError } = await import('../errors.js');
      throw new BachError('remote-required', error.message);
    }
    throw error;
  }
  return {
    close: () => team.close(),
    async pushRendered(report) {
      if (team.readOnly || report.rendered.length === 0) return;
      const after = await readLockedShots(manifestFile, quiet);
      if (!after.ok) return;
      const rendered = new Set(report.rendered);
      const { pushLockResults } = await import('../render/push-lock-results.js');
      const { statePaths } = await import('../state/paths.js');
      const outcome = await pushLockResults({ cacheDir: statePaths(after.manifest.root).cache, entries: after.shots.filter((shot) => rendered.has(shot.shotId)), team, signal: context.interrupt });
      // A push that fails is a warning; the next push (`bach-render push`, or the next build's) retries it.
      if (!outcome.ok) reporter.message('warn', `${outcome.error.message} — the results stay here; \`bach-render push\` sends them later`);
      else {
        const pushed = outcome.results.filter((result) => result.kind === 'pushed').length;
        const problems = outcome.results.filter((result) => 'why' in result);
        if (pushed > 0) reporter.message('info', `Team cache ${team.name}: ${pushed} new result${pushed === 1 ? '' : 's'} pushed`);
        for (const problem of problems) reporter.message('warn', `team cache ${team.name}: ${problem.shotId} not pushed: ${'why' in problem ? problem.why : ''}`);
      }
    },
  };
}

async function fetchAll(
  locked: Extract<Awaited<ReturnType<typeof import('./read-locked-shots.js').readLockedShots>>, { ok: true }>,
  team: TeamCache,
  context: CliContext,
  failed: (message: string) => void,
): Promise<number> {
  const [{ readProject }, { createPlanInputs }, { createPlan }, { pullLockResults }, { cacheVideoPath, writeCacheRecord }] = await Promise.all([
    import('../project/read-project.js'),
    import('../project/create-plan-inputs.js'),
    import('../plan/create-plan.js'),
    import('../render/pull-lock-results.js'),
    import('../state/result-cache.js'),
  ]);
  const { manifest, label } = locked;
  const project = await readProject(manifest, { label, origin: null, now: Date.now });
  const plan = createPlan(createPlanInputs(project, { only: [], force: [] }));
  const paying = plan.shots.filter((shot) => shot.source === 'render' && !shot.heldInDoubt && !shot.reasons.some((r) => r.kind === 'forced'));
  if (paying.length === 0) return 0;
  // 1. What bach.lock already describes for the current request.
  const byId = new Map(locked.shots.map((shot) => [shot.shotId, shot]));
  const lockTargets = paying.flatMap((shot) => {
    const target = byId.get(shot.shot.id);
    return target && target.entry.fingerprint === shot.fingerprint ? [target] : [];
  });
  let fetched = 0;
  if (lockTargets.length > 0) {
    const results = await pullLockResults({
      root: manifest.root,
      cacheDir: project.paths.cache,
      targets: lockTargets,
      team,
      api: null,
      signal: context.interrupt,
      onRemoteError: (error) => failed(error.message),
    });
    fetched += results.filter((result) => result.kind === 'team').length;
  }
  // 2. Everything else the plan would pay for, by fingerprint.
  const described = new Set(lockTargets.map((target) => target.shotId));
  const others = paying.filter((shot) => !described.has(shot.shot.id));
  if (others.length === 0) return fetched;
  const looked = await team.lookup([...new Set(others.map((shot) => shot.fingerprint))], { signal: context.interrupt });
  if (!looked.ok) {
    failed(looked.error.message);
    return fetched;
  }
  for (const shot of others) {
    if (!looked.value.present.has(shot.fingerprint) || project.cached.has(shot.fingerprint)) continue;
    const pulled = await team.pull({ fingerprint: shot.fingerprint, destination: cacheVideoPath(project.paths.cache, shot.fingerprint) }, { signal: context.interrupt });
    if (!pulled.ok) {
      failed(pulled.error.message);
      continue;
    }
    if (pulled.value.kind !== 'pulled') continue;
    const { sha256, size, record } = pulled.value;
    await writeCacheRecord(project.paths.cache, {
      cacheVersion: 1,
      fingerprint: shot.fingerprint,
      mode: shot.mode,
      request: shot.request,
      seed: shot.seed,
      taskId: record?.taskId ?? 'team-cache',
      size,
      sha256,
      shotId: shot.shot.id,
    });
    fetched += 1;
  }
  return fetched;
}
