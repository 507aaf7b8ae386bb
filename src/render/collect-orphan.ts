import type { JournalEntry } from '../state/journal.js';
import { followTask } from './follow-task.js';
import type { RunContext } from './run-context.js';

// A task an earlier build paid for whose shot has changed (or been removed) since: its result is
// still collected into the cache — it was paid for, and undoing the edit will then cost nothing —
// but it replaces no output and touches no lock entry.

export async function collectOrphan(context: RunContext, entry: JournalEntry): Promise<void> {
  const release = await context.slots.acquire();
  if (context.interrupt.aborted) return release();
  const outcome = await followTask(context, entry, {
    shotId: entry.shotId,
    fingerprint: entry.fingerprint,
    mode: entry.mode,
    request: entry.request,
    seed: entry.seed,
    outputPath: '',
    place: false,
  }, release);
  if (outcome.kind === 'done') {
    context.report.collected += 1;
    context.emit({ type: 'shot:collected', id: entry.shotId, taskId: entry.taskId!, note: 'an earlier version, kept in the cache' });
  } else if (outcome.kind === 'task-failed') {
    context.journal.remove(entry);
  } else if (outcome.kind !== 'interrupted') {
    context.emit({ type: 'notice', level: 'warn', message: `earlier task ${entry.taskId} of ${entry.shotId}: ${outcome.message}` });
  }
}
