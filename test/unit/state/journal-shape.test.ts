import { describe, expect, it } from 'vitest';
import { checkJournalEntry, isTaskId } from '../../../src/state/journal-shape.js';

// Every journal field is checked before it is used as a path or a request (issue 16, item 10).

const FP = 'a'.repeat(64);
const KEY = `${FP}-0123abcd`;
const GOOD = {
  journalVersion: 1,
  key: KEY,
  fingerprint: FP,
  shotId: 'opening',
  mode: 'text-to-video',
  request: { prompt: 'x', seed: 3 },
  seed: 3,
  state: 'accepted',
  taskId: '550e8400-e29b-41d4-a716-446655440000',
};
const check = (value: unknown) => checkJournalEntry(value, `${KEY}.json`, 1);

describe('checkJournalEntry', () => {
  it('accepts what Journal writes, in every state', () => {
    expect(check(GOOD)).toEqual({ entry: GOOD });
    const { taskId: _, ...unpaid } = GOOD;
    expect(check({ ...unpaid, state: 'sending', inDoubt: true })).toHaveProperty('entry');
    expect(check({ ...GOOD, state: 'expired', ephemeral: true })).toHaveProperty('entry');
  });

  it.each([
    ['a fingerprint leading out of the cache', { fingerprint: '../../../x' }, 'its fingerprint is not 64 hex digits'],
    ['a key that is not the file name', { key: `${FP}-ffffffff` }, 'its key does not match its file name and fingerprint'],
    ['a task id that is a path', { taskId: '../../admin' }, "its taskId is not a task id of the API's form"],
    ['an accepted entry without a task id', { taskId: undefined }, "its taskId is not a task id of the API's form"],
    ['a shot id with control characters', { shotId: '\u001b[2J' }, 'its shotId is not a shot id'],
    ['an unknown mode', { mode: 'elements2video' }, "its mode is not one of the API's modes"],
    ['an unknown state', { state: 'done' }, 'its state is unknown'],
    ['a negative seed', { seed: -1 }, 'its seed is not a whole number'],
    ['a request that is not an object', { request: 'x' }, 'its request is not an object'],
    ['a wrong version', { journalVersion: 2 }, 'journalVersion is not 1'],
  ])('refuses %s', (_name, change, why) => {
    expect(check({ ...GOOD, ...change })).toEqual({ why });
  });

  it.each([null, [], 'text', 42])('refuses %j', (value) => {
    expect(check(value)).toEqual({ why: 'not a JSON object' });
  });

  it('task ids: opaque URL-safe tokens only', () => {
    expect(isTaskId('550e8400-e29b-41d4-a716-446655440000')).toBe(true);
    expect(isTaskId('task_01:ABC.2')).toBe(true);
    for (const bad of ['', '..', '../x', 'a/b', ' a', 'a b', 'a\nb', 'x'.repeat(129), 42]) expect(isTaskId(bad), String(bad)).toBe(false);
  });
});
