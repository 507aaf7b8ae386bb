import { writeFileAtomic } from '../util/atomic-write.js';
import { createLockSerializer } from '../lock/parse-lockfile.js';
import type { Lockfile } from '../lock/types.js';

// The one writer of bach.lock during a build. Updates are pure functions, applied in the order they
// arrive; each is on disk (atomically) before its promise resolves, so the file always reflects a
// prefix of the finished work and never a torn mix of two writes.
//
// Cost at scale: updates that arrive while a write is in progress are applied together and written
// once, and each entry's text is serialized once (by identity) — so a first build of 10,000 shots
// does not re-serialize 10,000 entries 10,000 times.

interface Pending {
  change: (lock: Lockfile) => Lockfile;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class LockWriter {
  private readonly queue: Pending[] = [];
  /** Set and cleared synchronously around the drain loop, so no update can fall between them. */
  private draining = false;
  private readonly serialize = createLockSerializer();

  constructor(
    private readonly path: string,
    private lock: Lockfile,
    private text: string | null,
  ) {}

  get current(): Lockfile {
    return this.lock;
  }

  update(change: (lock: Lockfile) => Lockfile): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.queue.push({ change, resolve, reject }));
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
    return done;
  }

  /** Resolves when every update so far has been written (it queues behind them). */
  async flush(): Promise<void> {
    await this.update((lock) => lock).catch(() => {});
  }

  private async drain(): Promise<void> {
    for (;;) {
      await this.writeBatch(this.queue.splice(0));
      // Checked and cleared in one synchronous step: an update queued at any point before this line
      // is in the queue and gets written by the next turn of this loop.
      if (this.queue.length === 0) {
        this.draining = false;
        return;
      }
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      let next = this.lock;
      for (const pending of batch) next = pending.change(next);
      const text = this.serialize(next);
      if (text !== this.text) await writeFileAtomic(this.path, text);
      this.text = text;
      this.lock = next;
      for (const pending of batch) pending.resolve();
    } catch (error) {
      // The file keeps its previous content; these updates are not applied, and the callers know.
      for (const pending of batch) pending.reject(error);
    }
  }
}
