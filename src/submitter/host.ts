import { ApiError, createAbortError } from '../api/errors.js';
import type { RequestBody } from '../contract/create-request.js';
import type { ApiEvent, CreatedTask } from '../api/types.js';
import type { RateGate } from '../api/rate-gate.js';
import type { Mode } from '../contract/types.js';
import type { AcceptedEntry, SubmittingEntry } from '../state/journal.js';
import type { SerializedError, ToSubmitter } from './protocol.js';
import { spawnSubmitter, type SpawnedSubmitter } from './spawn-submitter.js';

// Why a separate process sends the create requests:
//
// A create is the one request that costs money. Between "the API created the task" and "its id is
// on disk" there is an instant — the answer crossing the wire and the event loop — in which a kill -9
// of the build would lose a paid task the API offers no way to find again (there is no lookup by
// content), so the next build would pay again. A detached submitter process closes that gap for
// everything short of an OS crash: it sends the request and writes the task id to the journal
// itself, and it outlives the build that asked (killed or interrupted) only long enough to finish and
// record what is in flight. The build writes the `submitting` record before handing a request over,
// so a request lost before it reached the submitter is still known as "may have been billed".
//
// One submitter per session (a watch keeps it warm); credentials reach it over IPC only.

export interface SubmitResult {
  created: CreatedTask;
  /** The journal entry as the submitter wrote it. */
  entry: AcceptedEntry;
  /** Set when the entry could not be written (a full disk): the task is billed, and only this build knows its id. */
  unrecorded?: string;
  /**
   * How long ago the API's answer arrived (ms, ≥ 0): the journal write and the message's way here came
   * after it. The adaptive poller times a task from its answer, not from this result's arrival, which
   * a busy build can hold back by tens of ms (poll-task.ts).
   */
  answeredAgoMs?: number;
}

export interface Submitter {
  /** Rejects with ApiError (or an AbortError when `signal` fires; the submitter still records the outcome). */
  createTask(mode: Mode, body: RequestBody, entry: SubmittingEntry, signal?: AbortSignal): Promise<SubmitResult>;
  close(): Promise<void>;
}

export interface SubmitterOptions {
  baseUrl: string;
  credentials: { accessKey: string; secretKey: string };
  journalDir: string;
  /** `.bach/`: the submitter registers itself in `.bach/submitters/` while it works. */
  stateDir: string;
  onEvent?: (event: ApiEvent) => void;
  /**
   * The build's rate gate: the submitter's creates take their slots from it, ahead of the build's polls,
   * and report their answers to it (remote-gate.ts says why). Without one the submitter sends unpaced.
   */
  gate?: RateGate;
}

export class SubmitterGoneError extends Error {
  constructor() {
    super('the submitter process exited while a create request was in flight; the task may exist');
    this.name = 'SubmitterGoneError';
  }
}

/**
 * Starts using a submitter process: `spawned` when the build started one early (spawn-submitter.ts),
 * else a new one. Sends it `init` (it registers in `.bach/submitters/` then), so call this only once
 * the build holds the folder.
 */
export function startSubmitter(options: SubmitterOptions, spawned?: SpawnedSubmitter): Submitter {
  // An early process is used once; a second session (none does so today) starts its own.
  const child = spawned?.claim() ? spawned : claimed(spawnSubmitter());
  const pending = new Map<number, { resolve(result: SubmitResult): void; reject(error: Error): void }>();
  let nextId = 1;
  const exit = child.exited;
  child.onMessage((message) => {
    if (message.type === 'event') options.onEvent?.(message.event);
    else if (message.type === 'acquire') grantPermit(message.id);
    else if (message.type === 'answered') options.gate?.recordAnswered(message.permit);
    else if (message.type === 'limited') options.gate?.recordRateLimited(message.permit, message.retryAfterMs);
    else if (message.type === 'created') {
      const answeredAgoMs = message.answeredAt === undefined ? undefined : Math.max(0, Date.now() - message.answeredAt);
      settle(message.id)?.resolve({
        created: message.created,
        entry: message.entry,
        ...(message.unrecorded ? { unrecorded: message.unrecorded } : {}),
        ...(answeredAgoMs === undefined ? {} : { answeredAgoMs }),
      });
    }
    else if (message.type === 'failed') settle(message.id)?.reject(deserialize(message.error));
  });
  void exit.then(() => {
    for (const { reject } of pending.values()) reject(new SubmitterGoneError());
    pending.clear();
  });
  const post = (message: ToSubmitter) => child.post(message);
  post({
    type: 'init',
    baseUrl: options.baseUrl,
    accessKey: options.credentials.accessKey,
    secretKey: options.credentials.secretKey,
    journalDir: options.journalDir,
    stateDir: options.stateDir,
  });

  // A create's slot, ahead of every poll. A closed gate (the build is closing) must not strand a
  // create the submitter already sends: it goes at once.
  function grantPermit(id: number, type: 'permit' | 'create-permit' = 'permit') {
    const now = { sentAt: Date.now(), waited: false };
    const granted = options.gate ? options.gate.acquire(undefined, 'create').catch(() => now) : Promise.resolve(now);
    void granted.then((permit) => post({ type, id, permit }));
  }

  function settle(id: number) {
    const found = pending.get(id);
    pending.delete(id);
    holdOpen();
    return found;
  }
  // While a create is pending the channel keeps the build alive (it is waiting for the answer); when
  // idle it must not, so that a build can exit while the submitter finishes on its own.
  function holdOpen() {
    child.holdOpen(pending.size > 0);
  }

  return {
    createTask(mode, body, entry, signal) {
      if (child.isGone()) return Promise.reject(new SubmitterGoneError());
      const id = nextId++;
      return new Promise<SubmitResult>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(id);
          holdOpen();
          reject(createAbortError(signal));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: (result) => (signal?.removeEventListener('abort', onAbort), resolve(result)),
          reject: (error) => (signal?.removeEventListener('abort', onAbort), reject(error)),
        });
        holdOpen();
        post({ type: 'create', id, mode, body, entry });
        // Its first attempt's permit, unasked, right behind it (remote-gate.ts).
        grantPermit(id, 'create-permit');
      });
    },
    async close() {
      post({ type: 'close' });
      if (pending.size === 0) {
        // Nothing in flight: the submitter exits on its own once idle; no need to wait for it.
        child.disconnect();
        return;
      }
      // It exits as soon as nothing is in flight; do not wait on a slow request (it records on its own).
      // The timer is referenced on purpose: with the child and its channel unreferenced, it is what keeps
      // this process alive until the wait is over (an empty event loop would end it mid-await).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(resolve, 3_000)))]);
      clearTimeout(timer);
      child.disconnect();
    },
  };
}

function claimed(spawned: SpawnedSubmitter): SpawnedSubmitter {
  spawned.claim();
  return spawned;
}

function deserialize(error: SerializedError): Error {
  if (error.api) return new ApiError({ ...error.api, message: error.message });
  if (error.name === 'AbortError') return new DOMException(error.message, 'AbortError');
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}
