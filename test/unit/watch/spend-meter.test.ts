import { describe, expect, it } from 'vitest';
import type { Reporter, ReporterEvent } from '../../../src/report/reporter.js';
import { createSpendMeter } from '../../../src/watch/spend-meter.js';

// The watch budget's meter counts what the API accepted (`shot:submitted`), whatever the display
// events around it say or in which order they come.

function silentReporter(seen: ReporterEvent[]): Reporter {
  return { plan() {}, event: (event) => void seen.push(event), message() {}, async close() {} };
}

describe('createSpendMeter', () => {
  it('counts the seconds of every accepted create, and nothing else', () => {
    const seen: ReporterEvent[] = [];
    const meter = createSpendMeter(silentReporter(seen));
    const events: ReporterEvent[] = [
      { type: 'shot:status', id: 'a', status: 'submitting' },
      // A resumed task: pending with a task id, no submission — paid by an earlier run.
      { type: 'shot:status', id: 'r', status: 'pending', taskId: 't0' },
      { type: 'shot:submitted', id: 'a', taskId: 't1', seconds: 6 },
      { type: 'shot:status', id: 'a', status: 'pending', taskId: 't1' },
      // Display events out of order do not matter.
      { type: 'shot:status', id: 'b', status: 'pending', taskId: 't2' },
      { type: 'shot:submitted', id: 'b', taskId: 't2', seconds: 2 },
      { type: 'shot:failed', id: 'b', message: 'task t2 failed', willRetry: true },
      { type: 'shot:submitted', id: 'b', taskId: 't3', seconds: 2 },
      { type: 'shot:done', id: 'c', how: 'restored', output: 'renders/c.mp4', seconds: 0 },
    ];
    for (const event of events) meter.reporter.event(event);
    expect(meter.spentSeconds()).toBe(10);
    expect(seen).toEqual(events);
  });
});
