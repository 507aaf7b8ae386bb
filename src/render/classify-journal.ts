import type { InFlightShotPlan, Plan } from '../plan/types.js';
import type { AcceptedEntry, JournalEntry, SendingEntry } from '../state/journal.js';

// What the journal read at the start of a build means for this plan (pure; settle-journal.ts
// applies the removals). Every entry lands in exactly one place:
//
//   state        the plan…                                   →
//   submitting   (anything)                                  drop: it never reached a submitter, nothing was billed
//   sending      renders this fingerprint                    inDoubt: kept; the shot is held (plan `?`), or with --force
//                                                            submitted again and reported "may have been billed twice"
//   sending      does not render it                          drop, with a warning: it may have been billed
//   accepted     resumes it (the first entry per fingerprint) resume, paired with the shot
//   accepted     restores it from the cache                  drop: its result was collected just before an interruption
//   accepted     anything else                               orphan: collected into the cache, placed nowhere
//   expired      plans this fingerprint                      keep: the render asks --allow-rerender (and removes it then)
//   expired      does not plan it                            drop
//
// In-doubt entries stay in the journal until their shot is submitted again (render-shot.ts), so a
// build killed again before that still knows, and the shot is finally reported.

export interface JournalClassification {
  /** Each shot resumed, with the accepted entry whose task it polls. */
  resume: { shot: InFlightShotPlan; entry: AcceptedEntry }[];
  /** A resumed shot whose entry is not in the journal read (it cannot happen: the plan came from that journal). */
  unmatched: InFlightShotPlan[];
  /** Paid tasks no planned shot wants: collected into the cache only. */
  orphans: AcceptedEntry[];
  /** Submissions of unknown outcome, by the fingerprint of a shot this build renders. */
  inDoubt: ReadonlyMap<string, readonly SendingEntry[]>;
  /** Entries with nothing left to do, each with the warning to show when it goes, if any. */
  drop: { entry: JournalEntry; warning?: string }[];
}

export function classifyJournal(plan: Plan, entries: readonly JournalEntry[]): JournalClassification {
  const rendering = new Set(plan.shots.filter((s) => s.source === 'render').map((s) => s.fingerprint));
  const fromCache = new Set(plan.shots.filter((s) => s.source === 'cache').map((s) => s.fingerprint));
  const planned = new Set(plan.shots.map((s) => s.fingerprint));
  const resumed = plan.shots.filter((s): s is InFlightShotPlan => s.source === 'in-flight');
  const wanted = new Set(resumed.map((s) => s.fingerprint));
  const byFingerprint = new Map<string, AcceptedEntry>();
  const orphans: AcceptedEntry[] = [];
  const inDoubt = new Map<string, SendingEntry[]>();
  const drop: JournalClassification['drop'] = [];
  for (const entry of entries) {
    switch (entry.state) {
      case 'submitting':
        drop.push({ entry });
        break;
      case 'sending':
        if (rendering.has(entry.fingerprint)) inDoubt.set(entry.fingerprint, [...(inDoubt.get(entry.fingerprint) ?? []), entry]);
        else drop.push({ entry, warning: `an earlier build was stopped while its request for ${entry.shotId} was on the wire: it may have been billed` });
        break;
      case 'accepted':
        if (wanted.has(entry.fingerprint) && !byFingerprint.has(entry.fingerprint)) byFingerprint.set(entry.fingerprint, entry);
        else if (fromCache.has(entry.fingerprint)) drop.push({ entry });
        else orphans.push(entry);
        break;
      case 'expired':
        if (!planned.has(entry.fingerprint)) drop.push({ entry });
        break;
    }
  }
  const resume: JournalClassification['resume'] = [];
  const unmatched: InFlightShotPlan[] = [];
  for (const shot of resumed) {
    const entry = byFingerprint.get(shot.fingerprint);
    if (entry) resume.push({ shot, entry });
    else unmatched.push(shot);
  }
  return { resume, unmatched, orphans, inDoubt, drop };
}
