import type { Journal } from '../state/journal.js';
import type { JournalClassification } from './classify-journal.js';
import type { Emit } from './events.js';

// The shell of classify-journal.ts: removes the entries with nothing left to do, saying so where the
// user should know (a request that may have been billed for a shot no longer planned).

export function settleJournal(journal: Journal, classification: Pick<JournalClassification, 'drop'>, emit: Emit): void {
  for (const { entry, warning } of classification.drop) {
    journal.remove(entry);
    if (warning) emit({ type: 'notice', level: 'warn', message: warning });
  }
}
