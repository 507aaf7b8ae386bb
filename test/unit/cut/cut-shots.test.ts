import { describe, expect, it } from 'vitest';
import { createCutShots, describeNotReady, selectCutShots } from '../../../src/cut/cut-shots.js';
import { isCutCurrent, parseCutRecord } from '../../../src/cut/cut-record.js';
import { makeShot } from '../../helpers/builders.js';
import { createTestPlanJson } from '../../helpers/review.js';

// Which shots a cut takes, and when the last cut is still the right one.

const story = [makeShot({ id: 'a', seed: 1 }), makeShot({ id: 'b', seed: 2 }), makeShot({ id: 'c', seed: 3 })];
const video = (c: string) => ({ size: 10, sha256: c.repeat(64) });

describe('selecting the shots of a cut', () => {
  it('takes every shot, in order, when all are up to date', () => {
    const shots = createCutShots(createTestPlanJson(story), { a: video('a'), b: video('b'), c: video('c') });
    const selection = selectCutShots(shots, false);
    expect(selection.kind === 'take' && selection.clips.map((clip) => clip.id)).toEqual(['a', 'b', 'c']);
  });

  it('refuses while a shot is stale or missing, naming each with the plan\'s words', () => {
    const edited = [{ ...story[0]!, prompt: { kind: 'text' as const, text: 'new' } }, story[1]!, story[2]!];
    const shots = createCutShots(createTestPlanJson(edited, { built: story, missing: ['c'] }), { a: video('a'), b: video('b'), c: null });
    const selection = selectCutShots(shots, false);
    expect(selection.kind).toBe('refuse');
    if (selection.kind !== 'refuse') return;
    expect(describeNotReady([...selection.stale, ...selection.missing])).toBe('  a: stale (prompt "prompt of a" → "new")\n  c: missing (renders/c.mp4 is missing)');
  });

  it('with --allow-stale takes every video that exists, gap-free, and names what is left out', () => {
    const shots = createCutShots(createTestPlanJson(story, { missing: ['b'] }), { a: video('a'), b: null, c: video('c') });
    const selection = selectCutShots(shots, true);
    expect(selection.kind === 'take' && [selection.clips.map((c) => c.id), selection.leftOut.map((c) => c.id)]).toEqual([['a', 'c'], ['b']]);
    expect(selectCutShots(createCutShots(createTestPlanJson(story), { a: null, b: null, c: null }), true).kind).toBe('empty');
  });
});

describe('the cut record', () => {
  const wanted = { root: '/p', film: 'renders/f.mp4', otio: 'renders/f.otio', clips: [{ id: 'a', sha256: 'a'.repeat(64) }] };
  const record = { version: 1 as const, root: '/p', film: { path: 'renders/f.mp4', size: 5, mtimeMs: 9 }, otio: { path: 'renders/f.otio', size: 2, mtimeMs: 9 }, clips: wanted.clips };
  const onDisk = { film: { size: 5, mtimeMs: 9 }, otio: { size: 2, mtimeMs: 9 } };

  it('is current only for the same shots, name, folder and untouched files', () => {
    expect(isCutCurrent(record, wanted, onDisk)).toBe(true);
    expect(isCutCurrent(record, { ...wanted, clips: [{ id: 'a', sha256: 'b'.repeat(64) }] }, onDisk)).toBe(false);
    expect(isCutCurrent(record, { ...wanted, film: 'renders/g.mp4' }, onDisk)).toBe(false);
    expect(isCutCurrent(record, { ...wanted, root: '/q' }, onDisk)).toBe(false);
    expect(isCutCurrent(record, wanted, { ...onDisk, film: null })).toBe(false);
    expect(isCutCurrent(record, wanted, { ...onDisk, film: { size: 5, mtimeMs: 10 } })).toBe(false);
    expect(isCutCurrent(null, wanted, onDisk)).toBe(false);
  });

  it('is shape-checked when read: anything unexpected is no record', () => {
    expect(parseCutRecord(JSON.stringify(record))).toEqual(record);
    expect(parseCutRecord('{')).toBeNull();
    expect(parseCutRecord(JSON.stringify({ ...record, version: 2 }))).toBeNull();
    expect(parseCutRecord(JSON.stringify({ ...record, clips: [{ id: 'a', sha256: 'short' }] }))).toBeNull();
    expect(parseCutRecord(JSON.stringify({ ...record, film: { path: 'x', size: -1, mtimeMs: 1 } }))).toBeNull();
  });
});
