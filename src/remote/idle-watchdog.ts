import { Transform } from 'node:stream';

// A pass-through stream that fails its pipeline when no data has moved for `idleMs`. Streamed uploads
// need it: undici times out waiting for headers and between response chunks, but a server that stops
// reading a request body (a full Ceph store, a hung share) would stall the upload forever. Put in the
// pipeline, it is also a bound for folder copies, which have no timeout of their own.

export function createIdleWatchdog(idleMs: number, createError: () => Error): Transform {
  let timer: NodeJS.Timeout | undefined;
  const arm = (stream: Transform) => {
    clearTimeout(timer);
    timer = setTimeout(() => stream.destroy(createError()), idleMs);
    timer.unref();
  };
  const watchdog: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      arm(watchdog);
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
  arm(watchdog);
  return watchdog;
}
