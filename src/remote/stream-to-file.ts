import { createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHashingTap } from '../util/hash.js';
import type { DownloadTarget } from './backend.js';

// Both backends download the same way: the object's stream → a size limit → a sha256 tap → a local
// file, flushed before it resolves. Memory holds a few chunks whatever the size. Failures are sorted
// by whose fault they are: the local disk (LocalWriteError), the object (ObjectTooLargeError), or the
// source, whose own error is thrown as it is for the backend to classify.

export class LocalWriteError extends Error {
  constructor(cause: unknown) {
    super(`cannot write the download: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'LocalWriteError';
  }
}

export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the object is larger than the ${maxBytes} bytes expected`);
    this.name = 'ObjectTooLargeError';
  }
}

export async function streamToFile(source: Readable, target: DownloadTarget, extra: Transform[] = [], signal?: AbortSignal) {
  const tap = createHashingTap();
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (target.maxBytes !== undefined && received > target.maxBytes) callback(new ObjectTooLargeError(target.maxBytes));
      else callback(null, chunk);
    },
  });
  const file = createWriteStream(target.path, { flush: true });
  let localError: unknown;
  file.once('error', (error) => {
    localError = error;
  });
  try {
    await pipeline([source, ...extra, limit, tap.stream, file], signal ? { signal } : {});
  } catch (error) {
    if (localError !== undefined) throw new LocalWriteError(localError);
    throw error;
  }
  return tap.digest();
}
