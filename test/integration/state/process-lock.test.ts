import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProcessLock, isAlive, parseLockOwner } from '../../../src/state/process-lock.js';
import { testdir } from '../../helpers/testdir.js';

// `.bach/lock` is read through a shape check: a lock that names no real process (pid 0 or -1 mean
// "my process group" and "everyone" to kill(2), so they always looked alive) or is not the shape
// bach-render writes is stale — taken over at once, never waited for.

const owner = (pid: unknown) => JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'build' });

async function lockWith(text: string): Promise<string> {
  const root = await testdir();
  await mkdir(join(root, '.bach'));
  await writeFile(join(root, '.bach/lock'), text);
  return join(root, '.bach/lock');
}

describe('process lock', () => {
  it.each([
    ['pid -1', owner(-1)],
    ['pid 0', owner(0)],
    ['pid 1.5', owner(1.5)],
    ['pid as text', owner('12')],
    ['pid too large', owner(2 ** 60)],
    ['null', 'null'],
    ['a number', '42'],
    ['no hostname', JSON.stringify({ pid: 12, startedAt: 'x', command: 'build' })],
    ['garbage', '{"pid": 1'],
  ])('a lock naming %s is stale: taken over without waiting', async (_name, text) => {
    const path = await lockWith(text);
    const lock = await acquireProcessLock(path, { wait: false, command: 'build', now: () => new Date(0) });
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, command: 'build' });
    await lock.release();
  });

  it('--wait does not wait for a lock naming pid -1', async () => {
    const path = await lockWith(owner(-1));
    let waited = false;
    const lock = await acquireProcessLock(path, {
      wait: true,
      command: 'build',
      now: () => new Date(0),
      pollMs: 10,
      // Bounds the test if the lock were (wrongly) waited for; never reached when it is not.
      signal: AbortSignal.timeout(10_000),
      onWaiting: () => (waited = true),
    });
    expect(waited).toBe(false);
    await lock.release();
  });

  it('a live owner still blocks', async () => {
    const path = await lockWith(owner(process.ppid));
    await expect(acquireProcessLock(path, { wait: false, command: 'build', now: () => new Date(0) })).rejects.toThrow(/another bach-render \(pid/);
  });

  it('only positive integer pids count as alive', () => {
    const base = { hostname: hostname(), startedAt: 'x', command: 'build' };
    for (const pid of [-1, 0, 1.5, Number.NaN]) expect(isAlive({ ...base, pid })).toBe(false);
    expect(parseLockOwner(owner(1234))).toEqual({ pid: 1234, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'build' });
    expect(parseLockOwner(owner(-1))).toBeNull();
  });
});
