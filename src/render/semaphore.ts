// A counting semaphore with a FIFO queue. Invariants: `available` never goes below zero; a slot is
// handed straight to the longest waiter on release (no barging), so shots start in storyboard
// order; acquire and release never await between checking and changing the count.
//
// Unlike p-limit it lets a shot give its slot back halfway: `--concurrency` bounds the tasks in
// flight on the server (submit → poll), and the download that follows runs under a pool of its own,
// so the next submission does not wait for a file transfer.

export class Semaphore {
  private available: number;
  private readonly waiters: (() => void)[] = [];

  readonly size: number;

  constructor(size: number) {
    this.size = Math.max(1, size);
    this.available = this.size;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function, to be called exactly once. */
  acquire(): Promise<() => void> {
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.waiters.push(() => resolve(this.releaser())));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.available += 1;
    };
  }
}
