import { describe, expect, it } from 'vitest';
import { emptyRunOverlay } from '../../../src/review/review-data.js';
import { applyRunEvent } from '../../../src/review/run-overlay.js';
import { parseShotFailures } from '../../../src/review/run-overlay-io.js';

// The run overlay: what a build knows beyond the plan (in flight, failed with the API's message).

const fp = (c: string) => c.repeat(64);
const fingerprints = new Map([['a', fp('a')], ['b', fp('b')]]);

describe('applyRunEvent', () => {
  it('follows a shot from its first status to done, and keeps a final failure with its fingerprint', () => {
    let overlay = emptyRunOverlay();
    overlay = applyRunEvent(overlay, { type: 'shot:status', id: 'a', status: 'submitting' }, fingerprints);
    overlay = applyRunEvent(overlay, { type: 'shot:status', id: 'a', status: 'processing', taskId: 't1' }, fingerprints);
    overlay = applyRunEvent(overlay, { type: 'shot:status', id: 'b', status: 'pending', taskId: 't2' }, fingerprints);
    expect(overlay.inFlight).toEqual({ a: { status: 'processing', taskId: 't1' }, b: { status: 'pending', taskId: 't2' } });
    overlay = applyRunEvent(overlay, { type: 'shot:failed', id: 'b', message: 'busy', taskId: 't2', willRetry: true }, fingerprints);
    expect(overlay.inFlight.b).toEqual({ status: 'retrying', taskId: 't2' });
    expect(overlay.failed).toEqual({});
    overlay = applyRunEvent(overlay, { type: 'shot:failed', id: 'b', message: 'sensitive content (1001)', taskId: 't3', willRetry: false }, fingerprints);
    overlay = applyRunEvent(overlay, { type: 'shot:done', id: 'a', how: 'rendered', output: 'renders/a.mp4', seconds: 6 }, fingerprints);
    expect(overlay).toEqual({ failed: { b: { fingerprint: fp('b'), message: 'sensitive content (1001)', taskId: 't3' } }, inFlight: {} });
  });

  it('clears what is in flight at the end of the run, and a failure once the shot is done', () => {
    let overlay = applyRunEvent(emptyRunOverlay(), { type: 'shot:failed', id: 'a', message: 'x', willRetry: false }, fingerprints);
    overlay = applyRunEvent(overlay, { type: 'shot:status', id: 'b', status: 'downloading' }, fingerprints);
    const summary = { type: 'run:summary', report: {} } as Parameters<typeof applyRunEvent>[1];
    overlay = applyRunEvent(overlay, summary, fingerprints);
    expect(overlay.inFlight).toEqual({});
    overlay = applyRunEvent(overlay, { type: 'shot:done', id: 'a', how: 'restored', output: 'renders/a.mp4', seconds: 0 }, fingerprints);
    expect(overlay.failed).toEqual({});
  });
});

describe('parseShotFailures (.bach/review-failures.json is untrusted)', () => {
  it('reads a well-formed file', () => {
    const text = JSON.stringify({ version: 1, failed: { a: { fingerprint: fp('a'), message: 'refused', taskId: 't' } } });
    expect(parseShotFailures(text)).toEqual({ a: { fingerprint: fp('a'), message: 'refused', taskId: 't' } });
  });

  it.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ version: 2, failed: { a: { fingerprint: fp('a'), message: 'm' } } })],
    ['failed not an object', JSON.stringify({ version: 1, failed: [] })],
  ])('ignores %s', (_name, text) => {
    expect(parseShotFailures(text)).toEqual({});
  });

  it('drops entries of the wrong shape, keeps the rest, and cuts long messages', () => {
    const text = JSON.stringify({
      version: 1,
      failed: {
        proto: { fingerprint: fp('a'), message: 'm' },
        'Not An Id': { fingerprint: fp('a'), message: 'm' },
        short: { fingerprint: 'abc', message: 'm' },
        nomsg: { fingerprint: fp('a') },
        ok: { fingerprint: fp('b'), message: 'x'.repeat(5000) },
      },
    });
    // JSON.parse makes "__proto__" an own key; copied onto a plain object it would set its prototype.
    const parsed = parseShotFailures(text.replace('"proto"', '"__proto__"'));
    expect(text).not.toContain('__proto__');
    expect(Object.keys(parsed)).toEqual(['ok']);
    expect(parsed.ok!.message).toHaveLength(2000);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});
