import type { RenderEvent } from '../render/events.js';
import type { RunOverlay } from './review-data.js';

// Folds the executor's events into the review page's run overlay (pure): a shot is in flight from
// its first status until it is done or has failed for good; a final failure is kept with the API's
// message and the fingerprint it failed for (so a later edit of the shot makes it moot); a shot that
// finishes clears both. `fingerprints` maps shot ids to the fingerprints of the plan being run.
// The build and watch integration calls this on every event and pushes the result to the page.

export function applyRunEvent(overlay: RunOverlay, event: RenderEvent, fingerprints: ReadonlyMap<string, string>): RunOverlay {
  switch (event.type) {
    case 'shot:status':
      return {
        failed: overlay.failed,
        inFlight: { ...overlay.inFlight, [event.id]: { status: event.status, ...(event.taskId ? { taskId: event.taskId } : {}) } },
      };
    case 'shot:done':
      return { failed: without(overlay.failed, event.id), inFlight: without(overlay.inFlight, event.id) };
    case 'shot:failed': {
      if (event.willRetry) {
        return { failed: overlay.failed, inFlight: { ...overlay.inFlight, [event.id]: { status: 'retrying', ...(event.taskId ? { taskId: event.taskId } : {}) } } };
      }
      const fingerprint = fingerprints.get(event.id);
      const failed = fingerprint
        ? { ...overlay.failed, [event.id]: { fingerprint, message: event.message, ...(event.taskId ? { taskId: event.taskId } : {}) } }
        : overlay.failed;
      return { failed, inFlight: without(overlay.inFlight, event.id) };
    }
    case 'run:summary':
    case 'run:interrupted':
      // The run is over (or stopping): nothing is in flight any more on its behalf; tasks already
      // paid for show as in flight through the plan (the journal) instead.
      return event.type === 'run:summary' ? { failed: overlay.failed, inFlight: {} } : overlay;
    default:
      return overlay;
  }
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!Object.hasOwn(record, key)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}
