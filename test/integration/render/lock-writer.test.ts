import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/lock/parse-lockfile.js';
import { setLockEntry } from '../../../src/lock/update-lockfile.js';
import { LockWriter } from '../../../src/render/lock-writer.js';
import { builtState, digestsOf, makeManifest, makeShot } from '../../helpers/builders.js';
import { testdir } from '../../helpers/testdir.js';

describe('LockWriter', () => {
  it('writes each update in order, atomically, so the file always parses and ends with all of them', async () => {
    const root = await testdir();
    const path = join(root, 'bach.lock');
    const { lock } = builtState(makeManifest(Array.from({ length: 20 }, (_, i) => makeShot({ id: `s${i}`, seed: i }))), digestsOf({}));
    const writer = new LockWriter(path, { lockfileVersion: 1, shots: {} }, null);
    const seen: number[] = [];
    await Promise.all(
      Object.entries(lock.shots).map(async ([id, entry]) => {
        await writer.update((current) => setLockEntry(current, id, entry));
        seen.push(Object.keys(parseLockfile(readFileSync(path, 'utf8'), 'bach.lock').shots).length);
      }),
    );
    expect(seen.every((count) => count >= 1)).toBe(true);
    expect(parseLockfile(readFileSync(path, 'utf8'), 'bach.lock')).toEqual(lock);
  });

  it('does not rewrite a file whose bytes would not change', async () => {
    const root = await testdir();
    const path = join(root, 'bach.lock');
    const writer = new LockWriter(path, { lockfileVersion: 1, shots: {} }, null);
    await writer.update((l) => l);
    const text = readFileSync(path, 'utf8');
    const second = new LockWriter(path, parseLockfile(text, 'bach.lock'), text);
    const before = (await import('node:fs')).statSync(path).mtimeMs;
    await second.update((l) => ({ ...l }));
    expect((await import('node:fs')).statSync(path).mtimeMs).toBe(before);
  });
});

describe('LockWriter when nothing changes', () => {
  it('settles updates and flushes even when no byte would change (no write, no wait)', async () => {
    const root = await testdir();
    const path = join(root, 'bach.lock');
    const writer = new LockWriter(path, { lockfileVersion: 1, shots: {} }, null);
    await writer.update((l) => l);
    await writer.update((l) => l);
    await writer.flush();
    await Promise.all([writer.update((l) => l), writer.update((l) => l), writer.flush()]);
    expect(readFileSync(path, 'utf8')).toContain('"lockfileVersion": 1');
  });
});
