import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/plan/create-plan.js';
import { applyProgressEvent, createProgressState, drawProgress } from '../../../src/report/progress-model.js';
import { createPlainReporter } from '../../../src/report/plain-reporter.js';
import { createPalette } from '../../../src/util/palette.js';
import { digestsOf, makeManifest, makeShot, planInputs } from '../../helpers/builders.js';

const plan = createPlan(planInputs(makeManifest(Array.from({ length: 6 }, (_, i) => makeShot({ id: `s${i}`, duration: 6 }))), digestsOf({})));
const plainColours = { dim: (t: string) => t, bold: (t: string) => t, red: (t: string) => t, cyan: (t: string) => t };

describe('the live view model', () => {
  it('counts done, rendering, queued and failed; seconds generated and to go; time left from the pace', () => {
    const state = createProgressState(plan);
    applyProgressEvent(state, { type: 'shot:status', id: 's0', status: 'queued' }, 0);
    applyProgressEvent(state, { type: 'shot:status', id: 's1', status: 'processing', taskId: 'task-abcdefgh-1' }, 0);
    applyProgressEvent(state, { type: 'shot:status', id: 's2', status: 'pending', taskId: 't2' }, 0);
    applyProgressEvent(state, { type: 'shot:done', id: 's3', how: 'rendered', output: 'renders/s3.mp4', seconds: 6 }, 10_000);
    applyProgressEvent(state, { type: 'shot:failed', id: 's4', message: 'shot s4: boom', willRetry: false }, 10_000);
    const lines = drawProgress(state, { nowMs: 12_000, columns: 120, rows: 10, ...plainColours });
    expect(lines[0]).toBe('1/6 done · 2 rendering · 2 queued · 1 failed · 6 s generated, 30 s to go · about 24 s left');
    expect(lines.slice(1)).toEqual(['  • s1        rendering 12 s task task-abc', '  • s2        rendering 12 s task t2']);
  });

  it('fits any terminal: at most rows − 1 lines, the rest as "… and N more"', () => {
    const state = createProgressState(plan);
    for (let i = 0; i < 6; i++) applyProgressEvent(state, { type: 'shot:status', id: `s${i}`, status: 'submitting' }, 0);
    const lines = drawProgress(state, { nowMs: 0, columns: 30, rows: 4, ...plainColours });
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('  … and 5 more');
    expect(lines.every((line) => line.length <= 29)).toBe(true);
  });
});

describe('the plain reporter', () => {
  it('prints a progress line every 30 s of a long build, and stamps from the first event', () => {
    let now = 1_000;
    let out = '';
    const reporter = createPlainReporter({ write: (t) => void (out += t), isTTY: false }, { write: () => {}, isTTY: false }, createPalette(false), () => now);
    reporter.plan(plan, 'bach.yaml');
    now = 5_000; // planning took 4 s: not counted in the stamps
    reporter.event({ type: 'shot:status', id: 's0', status: 'submitting' });
    now = 36_000;
    reporter.event({ type: 'shot:done', id: 's0', how: 'rendered', output: 'renders/s0.mp4', seconds: 6 });
    expect(out).toContain('[ 0.0 s] s0: submitting');
    expect(out).toContain('[  31 s] progress: 1/6 done · 0 rendering · 5 queued · 6 s generated, 30 s to go');
  });
});
