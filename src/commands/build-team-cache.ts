import type { ShotIdentity } from '../contract/shot-identity.js';
import type { ShotPlan } from '../plan/types.js';
import type { BuildSettings } from '../project/build-settings.js';
import type { Reporter } from '../report/reporter.js';
import type { RunReport } from '../render/events.js';
import type { TeamCache } from '../remote/open-team-cache.js';
import type { CliContext } from '../util/cli-context.js';
import type { Clock } from '../util/clock.js';
import type { LockedShot, LockedShots } from './read-locked-shots.js';
import type { BuildClaims } from './build-claims.js';

// The team cache around a build (issue 11, items 3, 5, 8 and 11): before the build plans what it pays
// for, it fetches from the team cache, for free,
//   1. every result bach.lock describes for a shot's *current* request that is not here (a teammate's
//      clone, CI, a lock that names a take this machine lacks — fetched, never replaced by a new take
//      of our own, so bach.lock converges instead of ping-ponging), verified against the lock's sha256;
//   2. the result of every other shot the plan would render, looked up by fingerprint (one lookup
//      for all of them) and verified against its record;
// then claims what is left to pay for (build-claims.ts) and builds in rounds: a round leaves out the
// shots another machine holds, and between rounds the build waits for those results to appear (or for
// their claims to end or go stale). After each round every result it rendered — and every result an
// earlier build could not push (.bach/remote-pending.json) — is pushed, unless the team cache is
// read-only. A team-cache failure is one warning line naming the remote and the build goes on locally —
// unless --require-remote, which stops it before anything is paid. The no-op build never gets here.

export interface BuildTeamCache {
  readonly name: string;
  /** Results fetched when it was opened (before the build plans). */
  readonly fetched: number;
  /** Claims what the next round would pay for; the shot ids another machine is rendering (left out of the round). */
  claimRound(): Promise<Set<string>>;
  /** The round's reporter, writing each accepted task id into its claim. */
  watchSubmissions(reporter: Reporter): Reporter;
  /** After a round: push what it rendered (and what is pending), then complete or release its claims. */
  pushRendered(report: RunReport | null): Promise<void>;
  /** Waits until some of the held shots are fetched or ours to render; the shot ids still held. */
  waitForHeld(held: ReadonlySet<string>): Promise<Set<string>>;
  close(): Promise<void>;
}

type Locked = Extract<LockedShots, { ok: true }>;

export async function fetchFromTeamCache(manifestFile: string, settings: BuildSettings, context: CliContext, reporter: Pick<Reporter, 'message'>, clock: Clock): Promise<BuildTeamCache | null> {
  const [{ readLockedShots }, { openProjectRemote, resolveProjectRemote }, { createBuildClaims }, { persistentOriginOf }] = await Promise.all([
    import('./read-locked-shots.js'),
    import('../project/project-remote.js'),
    import('./build-claims.js'),
    import('../project/build-settings.js'),
  ]);
  const quiet = { ...context, stderr: { write: () => {}, isTTY: false } };
  const readLocked = async (): Promise<Locked | null> => {
    const locked = await readLockedShots(manifestFile, quiet);
    return locked.ok ? locked : null;
  };
  const locked = await readLocked();
  if (!locked) return null;
  const remote = resolveProjectRemote(settings.remote, locked.manifest, context);
  const team = await openProjectRemote(remote, locked.manifest.root, context.env);
  if (!team) return null;
  const failed = (message: string) => {
    if (remote.require) throw Object.assign(new Error(`${message} (--require-remote: nothing was paid for)`), { name: 'TeamCacheRequired' });
    reporter.message('warn', message);
  };
  const required = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Error && error.name === 'TeamCacheRequired') {
        const { BachError } = await import('../errors.js');
        throw new BachError('remote-required', error.message);
      }
      throw error;
    }
  };
  const claims: BuildClaims = createBuildClaims({
    team,
    clock,
    apiOrigin: persistentOriginOf(settings.api) ?? 'embedded-emulator',
    failed,
    warn: (message) => reporter.message('warn', message),
  });
  /** One line for what a fetch got (at the start, after a claim found a result pushed meanwhile, while waiting). */
  const reportFetched = (count: number) => {
    if (count > 0) reporter.message('info', `Team cache ${team.name}: ${count} result${count === 1 ? '' : 's'} fetched, free`);
  };
  /** Shot id → fingerprint of the shots claimed in the current round. */
  const claimed = new Map<string, string>();

  let fetchedAtOpen = 0;
  try {
    const fetched = await required(() => fetchAll(locked, team, context, failed));
    fetchedAtOpen = fetched.count;
    reportFetched(fetched.count);
  } catch (error) {
    await team.close();
    throw error;
  }

  /**
   * Claims what a round would pay for; the shot ids another machine holds. Two things the claims can
   * say change what the round pays for, and both are dealt with here, before it plans:
   * - a result pushed while we looked (`present`: another machine finished it a moment ago) is
   *   fetched now — planned as it was, the round would pay for it again;
   * - a stale claim taken over whose task the API (the same one) had accepted is adopted: its task id
   *   goes into the journal as an accepted task, so the round follows that task for free instead of
   *   paying again (the owner that was killed had already paid for it).
   * Decided: at most three looks; a result still appearing after that is rendered (and pushed as a
   * conflict), which is rare and never loses anything.
   */
  const claimPaying = async (first: PayingShot[]): Promise<Set<string>> => {
    let paying = first;
    for (let look = 1; ; look += 1) {
      const round = await required(() => claims.claim(groupByFingerprint(paying), context.interrupt));
      if (round.adopted.size > 0) await adoptTasks(paying, round.adopted);
      if (round.present.size === 0 || look === 3) {
        for (const shot of paying) if (!round.held.has(shot.fingerprint) && !round.present.has(shot.fingerprint)) claimed.set(shot.shotId, shot.fingerprint);
        return new Set(paying.filter((shot) => round.held.has(shot.fingerprint)).map((shot) => shot.shotId));
      }
      const now = await readLocked();
      if (!now) return new Set();
      const fetched = await fetchAll(now, team, context, (message) => reporter.message('warn', message));
      reportFetched(fetched.count);
      paying = fetched.paying;
    }
  };

  /** Journals the adopted tasks as accepted (paid for by the claim's first owner): the round resumes them. */
  const adoptTasks = async (paying: readonly PayingShot[], adopted: ReadonlyMap<string, string>) => {
    const [{ Journal }, { statePaths }] = await Promise.all([import('../state/journal.js'), import('../state/paths.js')]);
    const journal = new Journal(statePaths(locked.manifest.root).journal);
    const done = new Set<string>();
    for (const shot of paying) {
      const taskId = adopted.get(shot.fingerprint);
      if (!taskId || done.has(shot.fingerprint)) continue;
      done.add(shot.fingerprint);
      const { shotId, fingerprint, mode, request, seed } = shot;
      journal.recordAccepted(journal.recordSending(journal.recordSubmitting({ shotId, fingerprint, mode, request, seed })), taskId, false);
      await claims.recordTask(fingerprint, taskId); // a third machine taking over from us follows it too
      reporter.message('info', `Team cache ${team.name}: ${shotId} was being rendered by a build that stopped; following its task ${taskId} instead of paying again`);
    }
  };

  return {
    name: team.name,
    fetched: fetchedAtOpen,
    async claimRound() {
      if (team.readOnly) return new Set();
      const now = await readLocked();
      if (!now) return new Set();
      const { paying } = await planPaying(now);
      const held = await claimPaying(paying);
      if (held.size > 0) {
        reporter.message('info', `Team cache ${team.name}: another machine is rendering ${held.size} shot${held.size === 1 ? '' : 's'} (${[...held].slice(0, 5).join(', ')}${held.size > 5 ? ', …' : ''}); this build renders the others, then fetches those`);
      }
      return held;
    },
    watchSubmissions(inner) {
      return {
        plan: (plan, label) => inner.plan(plan, label),
        event(event) {
          if (event.type === 'shot:submitted') {
            const fingerprint = claimed.get(event.id);
            if (fingerprint) void claims.recordTask(fingerprint, event.taskId);
          }
          inner.event(event);
        },
        message: (level, text) => inner.message(level, text),
        ...(inner.watch ? { watch: (event: Parameters<NonNullable<Reporter['watch']>>[0]) => inner.watch?.(event) } : {}),
        close: () => inner.close(),
      };
    },
    async pushRendered(report) {
      const inRemote = report ? await pushResults(report) : new Set<string>();
      await claims.settle(inRemote);
      claimed.clear();
    },
    async waitForHeld(held) {
      // Decided: look again every 2 s (or as often as claims are renewed, when that is sooner).
      const everyMs = Math.min(2_000, team.claimPolicy.renewEveryMs);
      for (;;) {
        try {
          await clock.sleep(everyMs, context.interrupt);
        } catch {
          return new Set(held); // interrupted: the caller stops
        }
        const now = await readLocked();
        if (!now) return new Set();
        const fetched = await fetchAll(now, team, context, (message) => reporter.message('warn', message));
        reportFetched(fetched.count);
        if (team.disabledBy()) return new Set(); // the remote is gone: build the rest here
        const stillPaying = fetched.paying.filter((shot) => held.has(shot.shotId));
        const stillHeld = await claimPaying(stillPaying);
        if (stillHeld.size < held.size) return stillHeld;
      }
    },
    close: async () => {
      await claims.releaseAll();
      await team.close();
    },
  };

  /** Pushes this round's rendered results and the pending ones; the fingerprints now in the team cache. */
  async function pushResults(report: RunReport): Promise<Set<string>> {
    const inRemote = new Set<string>();
    if (team!.readOnly) {
      // Said once per round that rendered something: a read-only team cache is a choice, but a silent one
      // looks like a push that never happened.
      if (report.rendered.length > 0) {
        const { describeReadOnly } = await import('../remote/remote-settings.js');
        const why = team!.readOnlyReason ? describeReadOnly(team!.readOnlyReason) : 'read-only';
        reporter.message('info', `Team cache ${team!.name} is read-only here (${why}): ${report.rendered.length} new result${report.rendered.length === 1 ? '' : 's'} not pushed`);
      }
      return inRemote;
    }
    const after = await readLocked();
    if (!after) return inRemote;
    const [{ pushLockResults }, { readRemotePending, writeRemotePending }, { statePaths }] = await Promise.all([
      import('../render/push-lock-results.js'),
      import('../state/remote-pending.js'),
      import('../state/paths.js'),
    ]);
    const paths = statePaths(after.manifest.root);
    const pending = new Set(await readRemotePending(paths.dir));
    const rendered = new Set(report.rendered);
    const entries = after.shots.filter((shot) => rendered.has(shot.shotId) || pending.has(shot.entry.fingerprint));
    if (entries.length === 0) return inRemote;
    const outcome = await pushLockResults({ cacheDir: paths.cache, entries, team: team!, signal: context.interrupt });
    const unpushed = new Set<string>();
    if (!outcome.ok) {
      // A push that fails is a warning; the next build (or `bach-render push`) retries it.
      reporter.message('warn', `${outcome.error.message} — the results stay here; the next build pushes them`);
      for (const { entry } of entries) unpushed.add(entry.fingerprint);
    } else {
      const fingerprintOf = new Map(entries.map(({ shotId, entry }) => [shotId, entry.fingerprint]));
      let pushed = 0;
      const failures: string[] = [];
      for (const result of outcome.results) {
        const fingerprint = fingerprintOf.get(result.shotId)!;
        if (result.kind === 'pushed' || result.kind === 'present' || result.kind === 'conflict') inRemote.add(fingerprint);
        if (result.kind === 'pushed') pushed += 1;
        if (result.kind === 'failed') {
          unpushed.add(fingerprint);
          failures.push(result.why);
        } else if ('why' in result) reporter.message('warn', `team cache ${team!.name}: ${result.shotId} not pushed: ${result.why}`);
      }
      if (pushed > 0) reporter.message('info', `Team cache ${team!.name}: ${pushed} new result${pushed === 1 ? '' : 's'} pushed`);
      // One line for every push that failed (the first reason names the remote and the object).
      if (failures.length > 0) reporter.message('warn', `${failures[0]}${failures.length > 1 ? ` (and ${failures.length - 1} more not pushed)` : ''} — the results stay here; the next build pushes them`);
    }
    // Pending fingerprints of shots no longer locked are dropped: there is nothing left to push for them.
    await writeRemotePending(paths.dir, unpushed);
    return inRemote;
  }
}

/** A shot a build would pay for, with what a journal entry needs (an adopted task is journaled as accepted). */
interface PayingShot extends ShotIdentity {
  shotId: string;
}

function groupByFingerprint(shots: readonly PayingShot[]) {
  const groups = new Map<string, string[]>();
  for (const shot of shots) groups.set(shot.fingerprint, [...(groups.get(shot.fingerprint) ?? []), shot.shotId]);
  return [...groups].map(([fingerprint, shotIds]) => ({ fingerprint, shotIds }));
}

function payingShot(shot: ShotPlan): PayingShot {
  return { shotId: shot.shot.id, fingerprint: shot.fingerprint, mode: shot.mode, request: shot.request, seed: shot.seed };
}

/** The locked shots among `shots` whose bach.lock entry is for their current request (its result is what they need). */
export function lockedForCurrentRequest(locked: Locked, shots: readonly ShotPlan[]): LockedShot[] {
  const byId = new Map(locked.shots.map((shot) => [shot.shotId, shot]));
  return shots.flatMap((shot) => {
    const target = byId.get(shot.shot.id);
    return target && target.entry.fingerprint === shot.fingerprint ? [target] : [];
  });
}

/** What a build would pay for now (renders not held in doubt, not forced), with the project read for it. */
export async function planPaying(locked: Locked) {
  const [{ readProject }, { createPlanInputs }, { createPlan }] = await Promise.all([
    import('../project/read-project.js'),
    import('../project/create-plan-inputs.js'),
    import('../plan/create-plan.js'),
  ]);
  const { manifest, label } = locked;
  const project = await readProject(manifest, { label, origin: null, now: Date.now });
  const plan = createPlan(createPlanInputs(project, { only: [], force: [] }));
  const shots = plan.shots.filter((shot) => shot.source === 'render' && !shot.heldInDoubt && !shot.reasons.some((r) => r.kind === 'forced'));
  return { project, shots, paying: shots.map(payingShot) };
}

/** Fetches what the plan would pay for and the team cache has; the count fetched and what is still to pay for. */
async function fetchAll(locked: Locked, team: TeamCache, context: CliContext, failed: (message: string) => void): Promise<{ count: number; paying: PayingShot[] }> {
  const [{ pullLockResults }, { cacheVideoPath, writeCacheRecord }] = await Promise.all([import('../render/pull-lock-results.js'), import('../state/result-cache.js')]);
  const { manifest } = locked;
  const { project, shots: paying } = await planPaying(locked);
  if (paying.length === 0) return { count: 0, paying: [] };
  /** Shots no longer to pay for (fetched, or found here after all); `fetched`: how many came from the team cache. */
  const got = new Set<string>();
  let fetched = 0;
  // 1. What bach.lock already describes for the current request.
  const lockTargets = lockedForCurrentRequest(locked, paying);
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
    for (const result of results) {
      if (result.kind === 'team' || result.kind === 'present' || result.kind === 'local') got.add(result.shotId);
      if (result.kind === 'team') fetched += 1;
    }
  }
  const count = () => fetched;
  const rest = () => paying.filter((shot) => !got.has(shot.shot.id)).map(payingShot);
  // 2. Everything else the plan would pay for, by fingerprint.
  const described = new Set(lockTargets.map((target) => target.shotId));
  const others = paying.filter((shot) => !described.has(shot.shot.id));
  if (others.length === 0 || team.disabledBy()) return { count: count(), paying: rest() };
  const looked = await team.lookup([...new Set(others.map((shot) => shot.fingerprint))], { signal: context.interrupt });
  if (!looked.ok) {
    failed(looked.error.message);
    return { count: count(), paying: rest() };
  }
  const pulled = new Map<string, boolean>();
  for (const shot of others) {
    if (!looked.value.present.has(shot.fingerprint)) continue;
    if (pulled.has(shot.fingerprint) || project.cached.has(shot.fingerprint)) {
      if (pulled.get(shot.fingerprint) ?? true) got.add(shot.shot.id);
      continue;
    }
    const outcome = await team.pull({ fingerprint: shot.fingerprint, destination: cacheVideoPath(project.paths.cache, shot.fingerprint) }, { signal: context.interrupt });
    if (!outcome.ok) {
      failed(outcome.error.message);
      pulled.set(shot.fingerprint, false);
      continue;
    }
    if (outcome.value.kind !== 'pulled') {
      pulled.set(shot.fingerprint, false);
      continue;
    }
    const { sha256, size, record } = outcome.value;
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
    pulled.set(shot.fingerprint, true);
    got.add(shot.shot.id);
    fetched += 1;
  }
  return { count: count(), paying: rest() };
}
