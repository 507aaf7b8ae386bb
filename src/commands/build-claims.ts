import pLimit from 'p-limit';
import { keepClaimAlive, type KeepAlive } from '../remote/keep-claim-alive.js';
import type { TeamCache, TeamClaim } from '../remote/open-team-cache.js';
import type { RemoteError } from '../remote/remote-error.js';
import type { Clock } from '../util/clock.js';

// A build's claims in the team cache (issue 11, item 5): no two machines pay for the same shot, even
// when they build at the same moment. Before a round of the build pays for anything, it claims the
// fingerprint of every shot it would pay for (a conditional create only one machine can win):
//   won            → this build renders it; the claim is renewed while the build runs, the accepted
//                    task id is written into it, and it is completed once the result is pushed
//                    (released when the shot was not rendered, so others may claim it at once);
//   held           → another machine is on it: this build leaves it out of the round, renders the
//                    rest, then waits for the result to appear in the team cache (or for the claim to
//                    end or go stale: then it claims again, and one machine wins the takeover);
//   result-present → it was pushed while we looked: the next fetch pulls it.
// Decided: all of a round's shots are claimed up front (one claim per fingerprint, 8 at a time), not
// one by one at submission: the executor stays as it is, and a machine that starts a moment later
// sees at once which shots are taken and renders the others. A claim the store cannot guarantee (it
// ignores If-None-Match) or a failed claim is one warning, and the shot is built unclaimed: the team
// cache never stops local work unless --require-remote. A read-only team cache claims nothing.

export interface ClaimTarget {
  fingerprint: string;
  shotIds: readonly string[];
}

export interface ClaimRound {
  /** Fingerprints another machine holds a live claim on: left out of this round. */
  held: Set<string>;
  /** Fingerprints pushed by someone while we looked: fetch them. */
  present: Set<string>;
  /**
   * Fingerprints won by taking over a stale claim whose owner's task the API (same origin) had
   * accepted: fingerprint → that task id. The build follows that task instead of paying again.
   */
  adopted: Map<string, string>;
}

export interface BuildClaims {
  /** Claims the targets not already ours; failures go to `failed` (a warning, or an error under --require-remote). */
  claim(targets: readonly ClaimTarget[], signal?: AbortSignal): Promise<ClaimRound>;
  /** The API accepted a task for this fingerprint: written into our claim so waiting machines can follow it (resolves once written; never rejects). */
  recordTask(fingerprint: string, taskId: string): Promise<void>;
  /** After a round's push: complete the claims whose result is in the team cache, release the others. */
  settle(inRemote: ReadonlySet<string>): Promise<void>;
  /** Releases every claim still held (the build stops early). */
  releaseAll(): Promise<void>;
}

export interface BuildClaimsOptions {
  team: TeamCache;
  clock: Clock;
  /** The API's origin, recorded with the task id (never a key). */
  apiOrigin: string;
  failed(message: string): void;
  warn(message: string): void;
}

export function createBuildClaims(options: BuildClaimsOptions): BuildClaims {
  const { team } = options;
  const ours = new Map<string, { claim: TeamClaim; keepAlive: KeepAlive; recording: Promise<unknown> }>();
  const warned = new Set<string>();
  // One line per kind of failure: a share gone mid-build fails every renewal, each naming its own object.
  const warnOnce = (error: RemoteError, failed = false) => {
    if (warned.has(error.kind)) return;
    warned.add(error.kind);
    if (failed) options.failed(error.message);
    else options.warn(error.message);
  };

  const finish = async (fingerprint: string, how: 'complete' | 'release') => {
    const held = ours.get(fingerprint);
    if (!held) return;
    ours.delete(fingerprint);
    await held.keepAlive.stop();
    await held.recording;
    const done = how === 'complete' ? await held.claim.complete() : await held.claim.release();
    if (!done.ok) warnOnce(done.error);
  };

  return {
    async claim(targets, signal) {
      const round: ClaimRound = { held: new Set(), present: new Set(), adopted: new Map() };
      if (team.readOnly) return round;
      const limit = pLimit(8);
      await Promise.all(
        targets
          .filter((target) => !ours.has(target.fingerprint))
          .map((target) =>
            limit(async () => {
              if (team.disabledBy()) return;
              const outcome = await team.claim(target.fingerprint, signal ? { signal } : {});
              if (!outcome.ok) {
                // Unsupported (the store ignores If-None-Match) is said plainly, and the build goes on unclaimed.
                warnOnce(outcome.error, outcome.error.kind !== 'unsupported' && outcome.error.kind !== 'aborted');
                return;
              }
              const value = outcome.value;
              if (value.kind === 'held') round.held.add(target.fingerprint);
              else if (value.kind === 'result-present') round.present.add(target.fingerprint);
              else {
                const previous = value.previous;
                if (previous?.taskId && previous.apiOrigin === options.apiOrigin) round.adopted.set(target.fingerprint, previous.taskId);
                const claim = serialized(value.claim);
                const keepAlive = keepClaimAlive(claim, {
                  clock: options.clock,
                  everyMs: team.claimPolicy.renewEveryMs,
                  onLost: () => options.warn(`team cache ${team.name}: another machine took over the claim on ${target.shotIds.join(', ')} (this build was too slow to renew it); both may pay for it`),
                  onError: (error) => warnOnce(error),
                });
                ours.set(target.fingerprint, { claim, keepAlive, recording: Promise.resolve() });
              }
            }),
          ),
      );
      return round;
    },
    async recordTask(fingerprint, taskId) {
      const held = ours.get(fingerprint);
      if (!held) return;
      const recording = held.recording.then(async () => {
        const recorded = await held.claim.recordTask({ taskId, apiOrigin: options.apiOrigin });
        if (!recorded.ok) warnOnce(recorded.error);
      });
      held.recording = recording;
      await recording;
    },
    async settle(inRemote) {
      await Promise.all([...ours.keys()].map((fingerprint) => finish(fingerprint, inRemote.has(fingerprint) ? 'complete' : 'release')));
    },
    async releaseAll() {
      await Promise.all([...ours.keys()].map((fingerprint) => finish(fingerprint, 'release')));
    },
  };
}

/**
 * The claim with one change at a time: every change writes the next generation, so a renewal and the
 * task id written at the same moment would race for the same key, and the loser would take itself
 * for taken over.
 */
function serialized(claim: TeamClaim): TeamClaim {
  let queue: Promise<unknown> = Promise.resolve();
  const one = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };
  return {
    fingerprint: claim.fingerprint,
    generation: () => claim.generation(),
    renew: (options) => one(() => claim.renew(options)),
    recordTask: (task, options) => one(() => claim.recordTask(task, options)),
    complete: (options) => one(() => claim.complete(options)),
    release: (options) => one(() => claim.release(options)),
  };
}
