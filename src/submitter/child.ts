import { join } from 'node:path';
import type { ApiError as ApiErrorType } from '../api/errors.js';
import type { BachApi } from '../api/types.js';
import type { AcceptedEntry, Journal } from '../state/journal.js';
import type { Permit } from '../api/rate-gate.js';
import type { FromSubmitter, SerializedError, ToSubmitter } from './protocol.js';
import { registerSubmitter, unregisterSubmitter } from './registry.js';
import { createRemoteGate } from './remote-gate.js';

// The submitter process: sends create requests and writes each accepted task id to the journal the
// moment it arrives. It is detached from the build's process group, so a kill -9 of the build (or a
// Ctrl-C to its terminal) cannot fall between "the API created a task" and "its id is on disk".
// When the build goes away it finishes what is in flight, records it, and exits.
//
// Order matters at start: IPC messages that arrive before a 'message' listener exists are lost, so
// the listener is attached first (this module imports nothing heavy statically), then the build is
// told `hello`; the API client is loaded right after. On `init` the submitter registers itself
// in `.bach/submitters/` (synchronously, before any create can arrive), so that a later build waits
// for it before reading the journal.

let api: BachApi | undefined;
let journal: Journal | undefined;
let ApiErrorClass: typeof ApiErrorType | undefined;
let registry: string | undefined;
let ready: Promise<void> | undefined;
let inFlight = 0;
let closing = false;
/** See exitWhenIdle. */
const QUIET_MS = 200;
let exitTimer: NodeJS.Timeout | undefined;

// Telling the build is a courtesy; recording in the journal is the job. The build may be gone at any
// moment (killed): a send to a closed channel fails asynchronously with EPIPE on `process`, which
// unhandled would crash this process — and take every create still in flight down unrecorded.
const send = (message: FromSubmitter): boolean => {
  if (!process.connected) return false;
  process.send!(message, undefined, undefined, () => {});
  return true;
};
process.on('error', () => {});
// The build's rate gate, asked over IPC for each create's slot (remote-gate.ts says why).
const gate = createRemoteGate(send);

process.on('message', (message: ToSubmitter) => {
  if (message.type === 'init') {
    registry = join(message.stateDir, 'submitters');
    registerSubmitter(registry, process.pid);
    ready = initialise(message);
  } else if (message.type === 'create') {
    // Before anything else can run: the create's permit is the next message (remote-gate.ts).
    void create(message, gate.firstPermitOf(message.id));
  } else if (message.type === 'permit' || message.type === 'create-permit') {
    gate.receive(message);
  } else if (message.type === 'close') {
    closing = true;
    exitWhenIdle();
  }
});

// The build is gone (killed, or done without saying so): nothing new will come; finish and leave.
process.on('disconnect', () => {
  gate.disconnected();
  closing = true;
  exitWhenIdle();
});

send({ type: 'hello' });
// The API client is what takes this process longest to load (undici): load it now, while the build
// is still planning (it may have started this process early, spawn-submitter.ts), not on `init`.
const loading = Promise.all([
  import('../api/client.js'),
  import('../api/errors.js'),
  import('../state/journal.js'),
  // The client loads undici on its first request (api/undici.ts); this process's first request is a
  // create the build is waiting for, so undici is loaded here, with the rest, before it is asked.
  import('../api/undici.js').then(({ loadUndici }) => loadUndici()),
]);
// A process let go before it was used exits before the imports settle: nothing waits on a failure.
loading.catch(() => {});
// The build may have let go before this process was listening (a build with nothing to submit):
// that `disconnect` was never seen, so look.
if (!process.connected) {
  gate.disconnected();
  closing = true;
  exitWhenIdle();
}

async function initialise(message: Extract<ToSubmitter, { type: 'init' }>): Promise<void> {
  const [{ createApiClient }, { ApiError }, { Journal }] = await loading;
  ApiErrorClass = ApiError;
  journal = new Journal(message.journalDir);
  api = createApiClient({
    baseUrl: message.baseUrl,
    credentials: { accessKey: message.accessKey, secretKey: message.secretKey },
    gate,
    onEvent: (event) => send({ type: 'event', event }),
  });
}

async function create(message: Extract<ToSubmitter, { type: 'create' }>, firstPermit: Promise<Permit>): Promise<void> {
  inFlight += 1;
  if (exitTimer) clearTimeout(exitTimer), (exitTimer = undefined);
  try {
    await ready;
    const sending = journal!.recordSending(message.entry);
    const created = await api!.createTask(message.mode, message.body, { firstPermit });
    const answeredAt = Date.now();
    const inDoubt = created.inDoubtRetried || Boolean(message.entry.inDoubt);
    // From here the task exists and is billed: whatever happens to its record, the build hears of
    // the task id (issue 16, item 2), never a bare write error that loses it.
    let unrecorded: string | undefined;
    let entry: AcceptedEntry;
    try {
      entry = journal!.recordAccepted(sending, created.taskId, inDoubt);
    } catch (error) {
      entry = { ...sending, state: 'accepted', taskId: created.taskId, ...(inDoubt ? { inDoubt: true } : {}) };
      unrecorded = error instanceof Error ? error.message : String(error);
      if (!unrecorded.includes(created.taskId)) unrecorded = `task ${created.taskId} was accepted (billed) but could not be recorded (${unrecorded})`;
    }
    send({ type: 'created', id: message.id, created, entry, answeredAt, ...(unrecorded ? { unrecorded } : {}) });
  } catch (error) {
    // A request that certainly created nothing leaves no record; one whose outcome is unknown keeps
    // its `submitting` record, so the next build says the shot may have been billed.
    const isApiError = ApiErrorClass !== undefined && error instanceof ApiErrorClass;
    const unknown = !isApiError || (error as ApiErrorType).inDoubt;
    if (!unknown) journal!.remove(message.entry);
    send({ type: 'failed', id: message.id, error: serialize(error, isApiError), journalKept: unknown });
  } finally {
    inFlight -= 1;
    exitWhenIdle();
  }
}

// `disconnect` can be emitted before create messages that were already in the pipe when the build
// died; those were meant (their `submitting` records exist) and must be sent and recorded. So exit
// only after a quiet moment with nothing in flight, re-checked at the last instant — an exit between
// "the API answered" and "the journal has it" is exactly the loss this process exists to prevent.
function exitWhenIdle(): void {
  if (!closing || inFlight > 0 || exitTimer) return;
  exitTimer = setTimeout(() => {
    exitTimer = undefined;
    if (inFlight > 0) return;
    if (registry) unregisterSubmitter(registry, process.pid);
    process.exit(0);
  }, QUIET_MS);
}

function serialize(error: unknown, isApiError: boolean): SerializedError {
  if (isApiError) {
    const e = error as ApiErrorType;
    return {
      name: e.name,
      message: e.message,
      api: {
        kind: e.kind,
        outcome: e.outcome,
        ...(e.status === undefined ? {} : { status: e.status }),
        ...(e.code === undefined ? {} : { code: e.code }),
        retryable: e.retryable,
        inDoubt: e.inDoubt,
        ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
        ...(e.attempts === undefined ? {} : { attempts: e.attempts }),
      },
    };
  }
  return { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}
