import type { AcceptedEntry } from '../state/journal.js';
import { followTask } from './follow-task.js';
import type { RunContext } from './run-context.js';
import type { ShotOutcome } from './run-report.js';

// A task an earlier build paid for whose shot has changed (or been removed) since: its result is
// still collected into the cache — it was paid for, and undoing the edit will then cost nothing —
// but it replaces no output and touches no lock entry.

export async function collectOrphan(context: RunContext, entry: AcceptedEntry): Promise<ShotOutcome> {
  const id = entry.shotId;
  const release = await context.slots.acquire();
  if (context.interrupt.aborted) {
    release();
    return { id, kind: 'left' };
  }
  const target = { shotId: id, fingerprint: entry.fingerprint, mode: entry.mode, request: entry.request, seed: entry.seed, outputPath: '', place: false };
  const outcome = await followTask(context, entry, target, release);
  if (outcome.kind === 'done') {
    context.emit({ type: 'shot:collected', id, taskId: entry.taskId, note: 'an earlier version, kept in the cache' });
    return { id, kind: 'collected' };
  }
  if (outcome.kind === 'task-failed') context.journal.remove(entry);
  else if (outcome.kind !== 'interrupted') {
    context.emit({ type: 'notice', level: 'warn', message: `earlier task ${entry.taskId} of ${id}: ${outcome.message}` });
  }
  return { id, kind: 'left' };
}
