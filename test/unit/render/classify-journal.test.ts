import { describe, expect, it } from 'vitest';
import type { Plan, ShotPlan } from '../../../src/plan/types.js';
import { classifyJournal } from '../../../src/render/classify-journal.js';
import type { JournalEntry } from '../../../src/state/journal.js';
import { makeShot } from '../../helpers/builders.js';

// What each journal entry means for a plan: the table in src/render/classify-journal.ts, row by row.

const fp = (n: number) => String(n).repeat(64).slice(0, 64);

function planned(id: string, fingerprint: string, source: ShotPlan['source']): ShotPlan {
  const base = { shot: makeShot({ id }), fingerprint, mode: 'text-to-video' as const, request: {}, seed: 1, outputPath: `renders/${id}.mp4`, reasons: [], seconds: 0 };
  if (source === null) return { ...base, kind: 'unchanged', source };
  if (source === 'in-flight') return { ...base, kind: 'update', source, inFlightTaskId: `task-${id}` };
  if (source === 'render') return { ...base, kind: 'update', source, seconds: 6 };
  if (source === 'earlier-task') return { ...base, kind: 'restore', source, earlierTaskId: `task-${id}` };
  return { ...base, kind: 'restore', source };
}

function planOf(...shots: ShotPlan[]): Plan {
  const totals = { create: 0, update: 0, restore: 0, renderAgain: 0, unchanged: 0, kept: 0, skipped: 0, removed: 0, fromCache: 0, inFlight: 0, secondsToGenerate: 0, heldInDoubt: 0, secondsPossiblyBilled: 0, imagesToUpload: 0 };
  return { planVersion: 1, shots, removed: [], uploads: [], totals, changes: true };
}

function entry(state: JournalEntry['state'], fingerprint: string, key = `${fingerprint}-${state}`): JournalEntry {
  const base = { journalVersion: 1 as const, key, shotId: 'shot', fingerprint, mode: 'text-to-video' as const, request: {}, seed: 1 };
  return state === 'accepted' || state === 'expired' ? { ...base, state, taskId: `task-${key}` } : { ...base, state };
}

/** Where each entry landed, by key. */
function placed(plan: Plan, entries: JournalEntry[]): Record<string, string> {
  const result = classifyJournal(plan, entries);
  const where: Record<string, string> = {};
  for (const { entry: e, shot } of result.resume) where[e.key] = `resume ${shot.shot.id}`;
  for (const e of result.orphans) where[e.key] = 'orphan';
  for (const [, list] of result.inDoubt) for (const e of list) where[e.key] = 'in doubt';
  for (const { entry: e, warning } of result.drop) where[e.key] = warning ? `drop, warning: ${warning}` : 'drop';
  for (const e of entries) where[e.key] ??= 'keep';
  return where;
}

describe('classifyJournal', () => {
  const rendering = planned('a', fp(1), 'render');
  const resuming = planned('b', fp(2), 'in-flight');
  const restoring = planned('c', fp(3), 'cache');
  const unchanged = planned('d', fp(4), null);
  const plan = planOf(rendering, resuming, restoring, unchanged);

  it.each([
    ['submitting, planned or not', entry('submitting', fp(1)), 'drop'],
    ['sending, for a shot rendered again', entry('sending', fp(1)), 'in doubt'],
    ['sending, for a shot not rendered', entry('sending', fp(9)), 'drop, warning: an earlier build was stopped while its request for shot was on the wire: it may have been billed'],
    ['sending, for a shot restored from the cache', entry('sending', fp(3)), 'drop, warning: an earlier build was stopped while its request for shot was on the wire: it may have been billed'],
    ['accepted, for a shot resumed', entry('accepted', fp(2)), 'resume b'],
    ['accepted, for a shot restored from the cache', entry('accepted', fp(3)), 'drop'],
    ['accepted, for a shot rendered again', entry('accepted', fp(1)), 'orphan'],
    ['accepted, for a shot no longer planned', entry('accepted', fp(9)), 'orphan'],
    ['accepted, for an unchanged shot', entry('accepted', fp(4)), 'orphan'],
    ['expired, for a planned fingerprint', entry('expired', fp(1)), 'keep'],
    ['expired, for an unchanged shot', entry('expired', fp(4)), 'keep'],
    ['expired, for a fingerprint not planned', entry('expired', fp(9)), 'drop'],
  ])('%s', (_name, journalEntry, expected) => {
    expect(placed(plan, [journalEntry])[journalEntry.key]).toBe(expected);
  });

  it('pairs a resumed shot with the first accepted entry of its fingerprint; later ones are orphans', () => {
    const first = entry('accepted', fp(2), 'first');
    const second = entry('accepted', fp(2), 'second');
    expect(placed(plan, [first, second])).toEqual({ first: 'resume b', second: 'orphan' });
  });

  it('gathers every in-doubt submission of a fingerprint', () => {
    const result = classifyJournal(plan, [entry('sending', fp(1), 'x'), entry('sending', fp(1), 'y')]);
    expect(result.inDoubt.get(fp(1))?.map((e) => e.key)).toEqual(['x', 'y']);
  });

  it('names a resumed shot whose entry is not in the journal read', () => {
    const result = classifyJournal(plan, []);
    expect(result.unmatched.map((s) => s.shot.id)).toEqual(['b']);
    expect(result.resume).toEqual([]);
  });
});
