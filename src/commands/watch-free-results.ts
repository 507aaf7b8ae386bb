import { lockedTaskShots } from '../plan/free-sources.js';
import type { Plan } from '../plan/types.js';
import type { BuildSettings } from '../project/build-settings.js';
import type { Reporter } from '../report/reporter.js';
import type { Session } from '../session/session.js';
import type { CliContext } from '../util/cli-context.js';
import type { Clock } from '../util/clock.js';
import type { FetchFreeResults } from '../watch/watch-session.js';

// What a watch run does before it pays (issue 11, item 3, for watch as for build): the team cache's
// results for what the run would pay for (build-team-cache.ts), then the tasks bach.lock names that the
// API still serves (build-earlier-tasks.ts); after the run, what it rendered is pushed. Called only
// when a run's plan would pay (session/build-once.ts), so saves that pay nothing cost nothing here.
// Decided: a watch run does not claim shots. Claims exist so that machines building the same
// storyboard at once split it; a watch session renders the edits of the person at the keyboard, which
// no other machine has, and a run that waited for another machine would stall the editing loop. Two
// people watching the same storyboard at once may both pay for a shot neither has pushed yet.

export function createWatchFreeResults(settings: BuildSettings, context: CliContext, session: Session | null, clock: Clock): FetchFreeResults {
  return async (manifestFile: string, reporter: Reporter, plan: Plan) => {
    const [{ fetchFromTeamCache }, { fetchEarlierTasks }] = await Promise.all([import('./build-team-cache.js'), import('./build-earlier-tasks.js')]);
    const team = await fetchFromTeamCache(manifestFile, settings, context, reporter, clock);
    // The API is asked only when the plan pays for a shot bach.lock names a task for (an edit is a new request).
    const earlier = session && lockedTaskShots(plan).length > 0 ? await fetchEarlierTasks(manifestFile, session, context, reporter) : 0;
    return {
      fetched: (team?.fetched ?? 0) + earlier,
      pushRendered: async (report) => team?.pushRendered(report),
      close: async () => team?.close(),
    };
  };
}
