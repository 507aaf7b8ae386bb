import type { Reporter } from '../report/reporter.js';
import type { Session } from '../session/session.js';
import type { CliContext } from '../util/cli-context.js';

// Before a build pays for a shot whose request bach.lock already records with a task id (a clone
// without the videos, a cache that was pruned, a team cache that lacks it), it asks the API for that
// task: when the API still serves its result, the video is downloaded — a query and a download, free —
// verified against the lock's sha256 and placed (issue 11, item 3: local cache, then team cache, then
// the API by the lock's task id, and only then a new task). The lock keeps naming the result everybody
// already has instead of a new take of this machine's own (item 11). A task the API no longer serves,
// or no keys, leaves the shot to be rendered as before. Nothing is asked when no such shot is planned.

export async function fetchEarlierTasks(manifestFile: string, session: Session, context: CliContext, reporter: Pick<Reporter, 'message' | 'event'>): Promise<number> {
  const [{ readLockedShots }, { planPaying, lockedForCurrentRequest }] = await Promise.all([import('./read-locked-shots.js'), import('./build-team-cache.js')]);
  const quiet = { ...context, stderr: { write: () => {}, isTTY: false } };
  const locked = await readLockedShots(manifestFile, quiet);
  if (!locked.ok) return 0;
  const { project, shots } = await planPaying(locked);
  const targets = lockedForCurrentRequest(locked, shots).filter((target) => target.entry.taskId);
  if (targets.length === 0) return 0;
  const { pullLockResults } = await import('../render/pull-lock-results.js');
  const results = await pullLockResults({
    root: locked.manifest.root,
    cacheDir: project.paths.cache,
    targets,
    team: null,
    api: async () => {
      try {
        session.requireApi();
      } catch {
        return null; // no keys: the shot is planned (and refused) as before
      }
      return (await session.connect((event) => reporter.event(event))).api;
    },
    signal: context.interrupt,
  });
  const fetched = results.filter((result) => result.kind === 'api').length;
  if (fetched > 0) reporter.message('info', `${fetched} result${fetched === 1 ? '' : 's'} downloaded from ${fetched === 1 ? 'its' : 'their'} earlier task${fetched === 1 ? '' : 's'} (bach.lock's task ids), free`);
  return fetched;
}
