import type { Clock } from '../util/clock.js';
import type { TeamClaim } from './open-team-cache.js';
import type { RemoteError } from './remote-error.js';

// A won claim must be renewed while its shot is in flight (submit, poll, download, push), or other
// machines take it over after the policy's staleAfterMs. This runs the renewals beside the work:
// every `everyMs` one renewal; a failed renewal is reported and tried again next time (the claim
// survives a few); a lost claim (another machine took it over) is reported once and ends the loop.

export interface KeepAliveOptions {
  clock: Clock;
  /** Usually the team cache's claimPolicy.renewEveryMs. */
  everyMs: number;
  onLost(): void;
  onError?(error: RemoteError): void;
}

export interface KeepAlive {
  /** Stops renewing (before complete() or release()); resolves when no renewal is running. */
  stop(): Promise<void>;
}

export function keepClaimAlive(claim: TeamClaim, options: KeepAliveOptions): KeepAlive {
  const controller = new AbortController();
  const loop = (async () => {
    for (;;) {
      try {
        await options.clock.sleep(options.everyMs, controller.signal);
      } catch {
        return; // stopped
      }
      const renewed = await claim.renew();
      if (controller.signal.aborted) return;
      if (!renewed.ok) options.onError?.(renewed.error);
      else if (renewed.value === 'lost') {
        options.onLost();
        return;
      }
    }
  })();
  return {
    stop: async () => {
      controller.abort();
      await loop;
    },
  };
}
