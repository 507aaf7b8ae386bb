import { describe, expect, it } from 'vitest';
import { CreatesInFlight, MAX_WAIT_MS } from '../../../src/render/creates-in-flight.js';
import { createFakeClock } from '../../helpers/fake-clock.js';

// A finished task's download lets the creates in flight go first, for at most MAX_WAIT_MS: on a fake
// clock, with creates that settle when the test says.

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('CreatesInFlight', () => {
  it('with no create in flight, a download goes at once', async () => {
    const creates = new CreatesInFlight();
    let done = false;
    void creates.settled(createFakeClock(), new AbortController().signal).then(() => (done = true));
    await turns();
    expect(done).toBe(true);
  });

  it('waits for a create sent just after the download became ready (the slot it handed over), until it is answered', async () => {
    const creates = new CreatesInFlight();
    const clock = createFakeClock();
    const create = deferred<string>();
    let done = false;
    void creates.settled(clock, new AbortController().signal).then(() => (done = true));
    // The shot that got the slot sends its create in the promise jobs after the hand-off.
    await Promise.resolve();
    expect(await Promise.race([creates.track(create.promise), Promise.resolve('not yet')])).toBe('not yet');
    await turns();
    expect(done).toBe(false);
    create.resolve('task-1');
    await turns();
    expect(done).toBe(true);
    expect(creates.size).toBe(0);
  });

  it('a failed create ends the wait too', async () => {
    const creates = new CreatesInFlight();
    const create = deferred<string>();
    creates.track(create.promise).catch(() => {});
    let done = false;
    void creates.settled(createFakeClock(), new AbortController().signal).then(() => (done = true));
    create.reject(new Error('refused'));
    await turns();
    expect(done).toBe(true);
  });

  it(`a create held up delays a download by at most ${MAX_WAIT_MS} ms`, async () => {
    const creates = new CreatesInFlight();
    const clock = createFakeClock();
    creates.track(new Promise(() => {}));
    let done = false;
    void creates.settled(clock, new AbortController().signal).then(() => (done = true));
    await turns();
    await clock.advance(MAX_WAIT_MS - 1);
    await turns();
    expect(done).toBe(false);
    await clock.advance(1);
    await turns();
    expect(done).toBe(true);
  });

  it('Ctrl-C ends the wait at once', async () => {
    const creates = new CreatesInFlight();
    creates.track(new Promise(() => {}));
    const interrupt = new AbortController();
    let done = false;
    void creates.settled(createFakeClock(), interrupt.signal).then(() => (done = true));
    await turns();
    expect(done).toBe(false);
    interrupt.abort();
    await turns();
    expect(done).toBe(true);
  });
});
