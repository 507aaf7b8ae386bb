import pLimit from 'p-limit';
import { lockedTaskShots, markEarlierTaskSources } from '../plan/free-sources.js';
import type { ApiError } from '../api/errors.js';
import type { Plan } from '../plan/types.js';
import type { BuildSettings } from '../project/build-settings.js';
import type { CliContext } from '../util/cli-context.js';

// `plan` asks the API about the tasks bach.lock names (issue 11, items 3 and 6): a shot the plan would
// pay for whose locked task has the same request (a clone without the videos, a pruned cache) is
// downloaded for free by a build when the API still serves that task — so the plan asks, with one
// status query per such task (8 at a time; a query creates and costs nothing), and shows those shots
// as `^ … (from an earlier task: free)`. Honest both ways: a task the API no longer serves, an API
// that does not answer, or no keys leave the shot a paid render in the plan, as the build would find it.
// Decided: two attempts per query, not the build's six — a plan is read by a person waiting for it,
// and a slow API only makes it show the upper bound of the cost. Nothing is asked when no shot of the
// plan is such a shot, so a no-op plan (and a plan of new shots) makes no request.

const QUERIES_AT_ONCE = 8;

export async function consultEarlierTasks(plan: Plan, settings: BuildSettings, context: CliContext): Promise<Plan> {
  const shots = lockedTaskShots(plan);
  if (shots.length === 0 || settings.api.kind !== 'api' || !settings.credentials) return plan;
  const { createApiClient } = await import('../api/client.js');
  const api = createApiClient({ baseUrl: settings.api.baseUrl, credentials: settings.credentials, retry: { maxAttempts: 2 } });
  const served = new Set<string>();
  let unanswered: string | undefined;
  try {
    const limit = pLimit(QUERIES_AT_ONCE);
    await Promise.all(
      shots.map((shot) =>
        limit(async () => {
          if (context.interrupt.aborted || unanswered) return;
          try {
            const task = await api.getTask(shot.mode, shot.previous.taskId, { signal: context.interrupt });
            if (task.status === 'TASK_SUCCEEDED' && task.videoUrl) served.add(shot.shot.id);
          } catch (error) {
            // A task the API refuses to show (it does not know it) is simply not served; an API that
            // cannot be reached, refuses the keys or is overloaded is said once.
            if (!isRefusedTask(error)) unanswered ??= (error as Error).message.split('\n')[0];
          }
        }),
      ),
    );
  } finally {
    await api.close();
  }
  if (unanswered) context.stderr.write(`warning: the API was not asked about bach.lock's earlier tasks (${unanswered}); those shots are shown as paid renders\n`);
  return served.size > 0 ? markEarlierTaskSources(plan, served) : plan;
}

function isRefusedTask(error: unknown): boolean {
  const { kind, retryable, status } = error as Partial<ApiError>;
  return kind === 'http' && retryable === false && status !== 401 && status !== 403;
}
