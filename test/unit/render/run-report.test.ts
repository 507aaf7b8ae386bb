import { describe, expect, it } from 'vitest';
import { createRunReport, type ShotOutcome } from '../../../src/render/run-report.js';

// The run report is folded from the jobs' outcomes, once, at the end (no worker writes to it).

describe('createRunReport', () => {
  const totals = { unchanged: 2, skipped: 1, removed: ['gone'], earlierInDoubt: ['old', 'a'], interrupted: false, stopReason: null, wallMs: 1234 };

  it('sorts every outcome into its list, in job order, and adds up what was generated', () => {
    const outcomes: ShotOutcome[] = [
      { id: 'a', kind: 'rendered', seconds: 6, inDoubt: true },
      { id: 'b', kind: 'restored' },
      { id: 'c', kind: 'failed', failure: { id: 'c', message: 'shot c: boom' } },
      { id: 'd', kind: 'rendered', seconds: 2 },
      { id: 'e', kind: 'collected' },
      { id: 'f', kind: 'not-submitted' },
      { id: 'g', kind: 'left', inDoubt: true },
      { id: 'h', kind: 'collected' },
    ];
    expect(createRunReport(outcomes, totals)).toEqual({
      rendered: ['a', 'd'],
      restored: ['b'],
      unchanged: 2,
      skipped: 1,
      removed: ['gone'],
      failed: [{ id: 'c', message: 'shot c: boom' }],
      inDoubt: ['old', 'a', 'g'],
      notSubmitted: ['f'],
      stopReason: null,
      collected: 2,
      secondsGenerated: 8,
      interrupted: false,
      ephemeralApi: false,
      wallMs: 1234,
    });
  });

  it('carries how the run ended', () => {
    expect(createRunReport([], { ...totals, interrupted: true, stopReason: 'insufficient credits' })).toMatchObject({ interrupted: true, stopReason: 'insufficient credits', rendered: [], ephemeralApi: false });
    expect(createRunReport([], { ...totals, interrupted: true, ephemeralApi: true }).ephemeralApi).toBe(true);
  });
});
