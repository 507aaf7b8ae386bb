import type { RequestBody } from '../contract/create-request.js';
import type { ApiEvent, CreatedTask } from '../api/types.js';
import type { Permit } from '../api/rate-gate.js';
import type { Mode } from '../contract/types.js';
import type { AcceptedEntry, SubmittingEntry } from '../state/journal.js';

// Messages between a build and its submitter process (see host.ts for why it exists). JSON over
// the IPC channel; credentials travel only here, never in argv or the environment of the child.

export type ToSubmitter =
  | { type: 'init'; baseUrl: string; accessKey: string; secretKey: string; journalDir: string; stateDir: string }
  | { type: 'create'; id: number; mode: Mode; body: RequestBody; entry: SubmittingEntry }
  | { type: 'close' }
  /** The build's gate let a create attempt go (remote-gate.ts). */
  | { type: 'permit'; id: number; permit: Permit }
  /** The first attempt's permit of create `id`, sent unasked right after the create (remote-gate.ts). */
  | { type: 'create-permit'; id: number; permit: Permit };

export interface SerializedError {
  name: string;
  message: string;
  /** ApiError fields, when it was one. */
  api?: {
    kind: 'http' | 'network' | 'timeout' | 'protocol';
    outcome: 'not-sent' | 'answered' | 'unknown';
    status?: number;
    code?: number;
    retryable: boolean;
    inDoubt: boolean;
    retryAfterMs?: number;
    attempts?: number;
  };
}

export type FromSubmitter =
  /** The submitter listens; nothing may be sent before (earlier messages would be lost). */
  | { type: 'hello' }
  /**
   * `unrecorded`: the task exists (billed) but its id could not be written to the journal — why, with the id.
   * `answeredAt`: Date.now() when the API's answer arrived, before the journal write (both processes run on one machine).
   */
  | { type: 'created'; id: number; created: CreatedTask; entry: AcceptedEntry; unrecorded?: string; answeredAt?: number }
  | { type: 'failed'; id: number; error: SerializedError; journalKept: boolean }
  | { type: 'event'; event: ApiEvent }
  /** A create attempt asks the build's rate gate for its slot; the answer is a `permit` with the same id. */
  | { type: 'acquire'; id: number }
  /** The attempt with this permit was answered (not 429): the build's gate learns from it. */
  | { type: 'answered'; permit: Permit }
  /** The attempt with this permit was answered 429. */
  | { type: 'limited'; permit: Permit; retryAfterMs?: number };
