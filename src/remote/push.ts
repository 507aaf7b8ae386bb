import { sha256File } from '../util/hash.js';
import type { CallOptions, RemoteBackend } from './backend.js';
import { resultKey, videoKey } from './keys.js';
import { RemoteError } from './remote-error.js';
import { createResultRecord, MAX_RECORD_BYTES, parseResultRecord, serializeResultRecord, type ResultFacts, type ResultRecord } from './result-record.js';

// Pushing a result: the video first (keyed by its sha256, created only if absent), then the record
// (keyed by the fingerprint, created only if absent). The record is the commit point: a reader never
// finds a record whose video is not there yet, and a push cut off between the two leaves only a video
// that the next push reuses. Neither is ever overwritten: the first result written for a fingerprint
// is the one everybody gets (`conflict` tells the caller that another take won).
//
// The local file is hashed before the upload and the hash is signed into the request, so the server
// refuses the upload if the file changes on the way (S3: x-amz-content-sha256; a folder: we compare).

export interface PushRequest extends Omit<ResultFacts, 'sha256' | 'size'> {
  /** The verified local video (e.g. `.bach/cache/<fp>.mp4`). */
  videoPath: string;
  /** What the local cache record says; the file is hashed anyway, and a difference is refused. */
  sha256?: string | undefined;
}

export type PushOutcome =
  | { kind: 'pushed'; sha256: string; size: number; videoUploaded: boolean }
  /** The same video was there already, with a record the caller would accept. */
  | { kind: 'already-present'; sha256: string; size: number }
  /**
   * Another record holds this fingerprint: another take (its record is given, for the caller to adopt),
   * or one the caller would refuse (`problem` says why: unsigned, bad signature). It is never overwritten.
   */
  | { kind: 'conflict'; record: ResultRecord | null; problem?: string };

export interface PushContext {
  backend: RemoteBackend;
  signingKey?: string | undefined;
  /** `bach-render <version>`. */
  tool: string;
}

export async function pushResult(context: PushContext, push: PushRequest, options: CallOptions = {}): Promise<PushOutcome> {
  const { backend } = context;
  const local = await sha256File(push.videoPath, options.signal);
  if (push.sha256 !== undefined && push.sha256 !== local.sha256) {
    throw new RemoteError({
      kind: 'local',
      remote: backend.display,
      detail: `${push.videoPath} does not match its cache record (sha256 ${local.sha256.slice(0, 12)}…, expected ${push.sha256.slice(0, 12)}…)`,
      advice: 'it was not pushed; the next build renders or fetches the shot again',
    });
  }
  const video = videoKey(local.sha256);
  const there = await backend.head(video, options);
  let videoUploaded = false;
  if (there === null || there.size !== local.size) {
    videoUploaded = (await backend.createFromFile(video, { path: push.videoPath, ...local }, options)) === 'created';
  }
  const { videoPath: _path, sha256: _sha, ...facts } = push;
  const record = createResultRecord(
    { ...facts, sha256: local.sha256, size: local.size },
    { tool: context.tool, createdAt: new Date(backend.now()).toISOString(), ...(context.signingKey === undefined ? {} : { signingKey: context.signingKey }) },
  );
  const key = resultKey(push.fingerprint);
  if ((await backend.createSmall(key, Buffer.from(serializeResultRecord(record)), options)) === 'created') {
    return { kind: 'pushed', sha256: local.sha256, size: local.size, videoUploaded };
  }
  const existing = await backend.readSmall(key, MAX_RECORD_BYTES, options);
  if (existing === null) {
    // Created by someone, then removed by hand between our two requests: the next build pushes again.
    throw new RemoteError({ kind: 'server', remote: backend.display, key, detail: 'the result record vanished while it was pushed', advice: 'push again' });
  }
  const parsed = parseResultRecord(existing.toString('utf8'), push.fingerprint, context.signingKey);
  if (!parsed.ok) {
    const readable = parseResultRecord(existing.toString('utf8'), push.fingerprint);
    return { kind: 'conflict', record: readable.ok ? readable.record : null, problem: parsed.problem };
  }
  if (parsed.record.sha256 === local.sha256) return { kind: 'already-present', sha256: local.sha256, size: local.size };
  return { kind: 'conflict', record: parsed.record };
}
