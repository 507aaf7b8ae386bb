import { writeLockfile } from '../lock/lockfile-io.js';
import type { Lockfile } from '../lock/types.js';

// The one writer of bach.lock during a build. Updates are pure functions applied in order; each is
// written atomically before the next begins, so the file on disk always reflects a prefix of the
// finished work and never a torn mix of two writes.

export class LockWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private lock: Lockfile,
    private text: string | null,
  ) {}

  get current(): Lockfile {
    return this.lock;
  }

  update(change: (lock: Lockfile) => Lockfile): Promise<void> {
    const next = this.chain.then(async () => {
      const updated = change(this.lock);
      this.text = await writeLockfile(this.path, updated, this.text);
      this.lock = updated;
    });
    // A failed write must not wedge the chain for later updates; the caller sees the error.
    this.chain = next.catch(() => {});
    return next;
  }

  /** Resolves when every update so far has been written. */
  flush(): Promise<void> {
    return this.chain;
  }
}
