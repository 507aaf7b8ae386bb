import type { Clock } from '../util/clock.js';

// Creates before downloads (issue 14 item 4). When a task succeeds, its `--concurrency` slot goes at once
// to the next shot, whose create starts paid work on a server slot that stands idle until it arrives;
// the finished task's download only moves a file that will wait. Started together, the download won:
// it left the build at once, while the create took the journal writes and the submitter process's way
// (tens of ms), so the server answered (and, for the emulator, encoded) the downloads first and the
// create queued behind them — about 20 ms of every wave of the 64 × 1 s bench, with the build's own
// event loop busy streaming and hashing in the same moments.
//
// So a download first waits until the creates in flight when it became ready have been answered —
// for at most MAX_WAIT_MS, so that a create held up (a rate limit's pause, retries) delays no result
// by more than that. [decided: half a second; a result's URL lives for hours] A download with no
// create in flight (the last wave, a build with nothing left to submit) starts at once. Ctrl-C ends
// the wait (the download then stops as it always did).

export const MAX_WAIT_MS = 500;

export class CreatesInFlight {
  private readonly pending = new Set<Promise<void>>();

  /** Counts `create` as in flight until it settles (either way); returns it unchanged. */
  track<T>(create: Promise<T>): Promise<T> {
    const forget = () => {
      this.pending.delete(settled);
    };
    const settled: Promise<void> = create.then(forget, forget);
    this.pending.add(settled);
    return create;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Resolves once every create in flight has settled, or after `maxWaitMs`, or at `signal`. Never rejects.
   * It looks after one turn of the event loop: the shot that was just handed the slot sends its create
   * in the promise jobs that follow the hand-off, and that create is the one to let go first.
   */
  async settled(clock: Pick<Clock, 'sleep'>, signal: AbortSignal, maxWaitMs = MAX_WAIT_MS): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.pending.size === 0 || signal.aborted) return;
    const stopTimer = new AbortController();
    const onAbort = () => stopTimer.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([Promise.all([...this.pending]), clock.sleep(maxWaitMs, stopTimer.signal).catch(() => {})]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stopTimer.abort();
    }
  }
}
