import { open, mkdir, rm } from 'node:fs/promises';
import type { ShotIdentity } from '../contract/shot-identity.js';
import type { BachApi } from '../api/types.js';
import { cacheVideoPath, writeCacheRecord, type CacheRecord } from '../state/result-cache.js';
import { commitTempFile, tempPathFor } from '../util/atomic-write.js';
// The parser's module, not the video barrel: that would load the emulator's encoder and card font too.
import { hasMp4Signature } from '../video/mp4-parser.js';

// A finished task's video goes into `.bach/cache/<fingerprint>.mp4` first — streamed to a temp file,
// checked (non-empty, the size announced, an MP4 signature), then renamed into place and recorded.
// Only then is it copied next to the manifest: whatever happens afterwards, a paid result is kept.

export interface CollectInput extends ShotIdentity {
  api: BachApi;
  cacheDir: string;
  videoUrl: string;
  taskId: string;
  signal: AbortSignal;
  /** The shot the task was rendered for: recorded, so `show` and `clean` can tell a shot's takes. */
  shotId?: string;
}

export class InvalidResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResultError';
  }
}

export async function collectResult(input: CollectInput): Promise<CacheRecord> {
  await mkdir(input.cacheDir, { recursive: true });
  const target = cacheVideoPath(input.cacheDir, input.fingerprint);
  const temp = tempPathFor(target);
  try {
    const { size, sha256 } = await input.api.download(input.videoUrl, temp, { signal: input.signal });
    if (size === 0) throw new InvalidResultError(`the result of task ${input.taskId} is empty`);
    if (!(await startsWithMp4Signature(temp))) throw new InvalidResultError(`the result of task ${input.taskId} is not an MP4 file`);
    await flush(temp);
    await commitTempFile(temp, target);
    const record: CacheRecord = {
      cacheVersion: 1,
      fingerprint: input.fingerprint,
      mode: input.mode,
      request: input.request,
      seed: input.seed,
      taskId: input.taskId,
      size,
      sha256,
      ...(input.shotId ? { shotId: input.shotId } : {}),
    };
    await writeCacheRecord(input.cacheDir, record);
    return record;
  } finally {
    await rm(temp, { force: true });
  }
}

async function startsWithMp4Signature(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(16);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return hasMp4Signature(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function flush(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
