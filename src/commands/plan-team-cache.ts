import { BachError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { markTeamSources } from '../plan/free-sources.js';
import type { Plan } from '../plan/types.js';
import type { BuildSettings } from '../project/build-settings.js';
import { openProjectRemote, resolveProjectRemote } from '../project/project-remote.js';
import type { CliContext } from '../util/cli-context.js';

// `plan` with a team cache (issue 11, item 6): the shots the plan would pay for are looked up in the
// team cache once — the lookup chooses HEADs in parallel for a few, skipping LIST pages for many —
// and those it holds are shown as coming from it, free (plan/free-sources.ts). Nothing is fetched:
// a plan writes no output. No shot to pay for → no request at all (and the no-op plan never gets here).
// A failed lookup is one warning and the plan is shown as if there were no team cache; under
// --require-remote it is an error.

export async function consultTeamCache(plan: Plan, manifest: Manifest, settings: BuildSettings, context: CliContext): Promise<Plan> {
  const remote = resolveProjectRemote(settings.remote, manifest, context);
  const paying = plan.shots.filter((shot) => shot.source === 'render' && !shot.heldInDoubt);
  if (!remote.enabled || paying.length === 0) return plan;
  const team = await openProjectRemote(remote, manifest.root, context.env);
  if (!team) return plan;
  try {
    const looked = await team.lookup([...new Set(paying.map((shot) => shot.fingerprint))], { signal: context.interrupt });
    if (!looked.ok) {
      if (remote.require) throw new BachError('remote-required', `${looked.error.message} (--require-remote)`);
      context.stderr.write(`warning: ${looked.error.message}\n`);
      return plan;
    }
    return markTeamSources(plan, looked.value.present);
  } finally {
    await team.close();
  }
}
