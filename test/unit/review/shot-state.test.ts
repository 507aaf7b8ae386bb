import { describe, expect, it } from 'vitest';
import { decideShotState } from '../../../src/review/shot-state.js';
import { makeShot } from '../../helpers/builders.js';
import { createTestPlanJson } from '../../helpers/review.js';

// A shot's state on the page comes from the plan (its words), the video on disk and the run overlay.

const story = [makeShot({ id: 'a', seed: 1 }), makeShot({ id: 'b', seed: 2 }), makeShot({ id: 'c', seed: 3 })];
const video = { size: 1, sha256: 'f'.repeat(64) };
const noRun = { failed: {}, inFlight: {} };

describe('decideShotState', () => {
  it('is up to date when the plan leaves the shot alone and its video is there', () => {
    const plan = createTestPlanJson(story);
    expect(decideShotState(plan.shots[0]!, video, noRun)).toEqual({ kind: 'up-to-date' });
  });

  it('is stale with the plan\'s reasons when the shot changed and an older video exists', () => {
    const edited = [{ ...story[0]!, prompt: { kind: 'text' as const, text: 'new' }, duration: 6 }, story[1]!, story[2]!];
    const plan = createTestPlanJson(edited, { built: story });
    expect(decideShotState(plan.shots[0]!, video, noRun)).toEqual({ kind: 'stale', reasons: ['prompt "prompt of a" → "new"'] });
  });

  it('is missing without a video, with the plan\'s reason (new shot, or deleted output)', () => {
    const plan = createTestPlanJson(story, { unbuilt: ['b'], missing: ['c'] });
    expect(decideShotState(plan.shots[1]!, null, noRun)).toEqual({ kind: 'missing', reasons: ['new shot'] });
    expect(decideShotState(plan.shots[2]!, null, noRun)).toEqual({ kind: 'missing', reasons: ['renders/c.mp4 is missing'] });
  });

  it('is failed with the API\'s message only for the version of the shot that failed', () => {
    const plan = createTestPlanJson(story, { unbuilt: ['b'] });
    const shot = plan.shots[1]!;
    const run = { failed: { b: { fingerprint: shot.fingerprint, message: 'sensitive content (1001)', taskId: 't1' } }, inFlight: {} };
    expect(decideShotState(shot, null, run)).toEqual({ kind: 'failed', message: 'sensitive content (1001)', taskId: 't1' });
    const older = { failed: { b: { fingerprint: '0'.repeat(64), message: 'old failure' } }, inFlight: {} };
    expect(decideShotState(shot, null, older).kind).toBe('missing');
  });

  it('is in flight while the run works on it, or when a paid task is recorded in the journal', () => {
    const plan = createTestPlanJson(story, { unbuilt: ['b'] });
    expect(decideShotState(plan.shots[1]!, null, { failed: {}, inFlight: { b: { status: 'processing', taskId: 't9' } } })).toEqual({
      kind: 'in-flight',
      status: 'processing',
      taskId: 't9',
    });
    const recorded = { ...plan.shots[1]!, source: 'in-flight' as const, taskId: 't7' };
    expect(decideShotState(recorded, null, noRun)).toEqual({ kind: 'in-flight', status: 'accepted', taskId: 't7' });
  });
});
