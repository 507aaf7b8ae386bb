import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commitTempFile, tempPathFor } from '../util/atomic-write.js';
import type { CallOptions, RemoteBackend } from './backend.js';
import { isSha256Hex, resultKey, videoKey } from './keys.js';
import { RemoteError } from './remote-error.js';
import { MAX_RECORD_BYTES, parseResultRecord, type ResultRecord } from './result-record.js';

// Pulling a result: nothing unverified is placed. The video streams into a temp file beside its
// destination while it is hashed, and is renamed into place only when its sha256 (and size) match:
// - the sha256 bach.lock records for this fingerprint, when the caller has one (the lock in git is the
//   anchor of trust); the video is then fetched by that hash directly, without reading the record;
// - otherwise the sha256 of the result record, which must itself check out (shape, fingerprint =
//   hash of its request) and, when a signing key is configured, carry a valid signature.
// A mismatch is refused with the object's name and the temp file removed; the caller plans the shot
// as if the remote did not have it.

export interface PullRequest {
  fingerprint: string;
  /** From bach.lock, when it has an entry for this fingerprint: the only content accepted. */
  expectedSha256?: string | undefined;
  expectedSize?: number | undefined;
  /** Where the verified video goes (e.g. `.bach/cache/<fp>.mp4`); written atomically. */
  destination: string;
}

export type PullOutcome =
  | {
      kind: 'pulled';
      sha256: string;
      size: number;
      /** The remote's record: null when the video was fetched by the lock's sha256 alone. */
      record: ResultRecord | null;
    }
  | { kind: 'missing' };

export interface PullContext {
  backend: RemoteBackend;
  signingKey?: string | undefined;
}

export async function pullResult(context: PullContext, pull: PullRequest, options: CallOptions = {}): Promise<PullOutcome> {
  const { backend } = context;
  let record: ResultRecord | null = null;
  let sha256 = pull.expectedSha256;
  let size = pull.expectedSize;
  if (sha256 !== undefined && !isSha256Hex(sha256)) throw new RangeError(`pull: expectedSha256 is not a sha256: ${sha256}`);
  if (sha256 === undefined) {
    const key = resultKey(pull.fingerprint);
    const bytes = await backend.readSmall(key, MAX_RECORD_BYTES, options);
    if (bytes === null) return { kind: 'missing' };
    const parsed = parseResultRecord(bytes.toString('utf8'), pull.fingerprint, context.signingKey);
    if (!parsed.ok) {
      throw new RemoteError({ kind: 'corrupt', remote: backend.display, key, detail: `refused: ${parsed.problem}`, advice: 'the shot is rendered or fetched another way; remove the object if it is wrong' });
    }
    record = parsed.record;
    sha256 = record.sha256;
    size = record.size;
  }
  const key = videoKey(sha256);
  await mkdir(dirname(pull.destination), { recursive: true });
  const temp = tempPathFor(pull.destination);
  try {
    const got = await backend.download(key, { path: temp, ...(size === undefined ? {} : { maxBytes: size }) }, options);
    if (got === null) return { kind: 'missing' };
    if (got.sha256 !== sha256 || (size !== undefined && got.size !== size)) {
      const what = pull.expectedSha256 !== undefined ? 'bach.lock records' : 'its result record says';
      throw new RemoteError({
        kind: 'corrupt',
        remote: backend.display,
        key,
        detail: `refused: the video's sha256 is ${got.sha256.slice(0, 12)}… (${got.size} bytes), not ${sha256.slice(0, 12)}… as ${what}`,
        advice: 'it was not placed; remove the object from the remote',
      });
    }
    await commitTempFile(temp, pull.destination);
    return { kind: 'pulled', sha256, size: got.size, record };
  } finally {
    await rm(temp, { force: true }).catch(() => {});
  }
}
