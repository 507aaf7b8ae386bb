import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashCache, stampOf } from '../../../src/state/hash-cache.js';
import { hashFiles } from '../../../src/state/hash-files.js';
import { sha256Hex } from '../../../src/util/hash.js';
import { testdir } from '../../helpers/testdir.js';

const LATER = () => Date.now() + 60_000;

describe('hashFiles with the stat cache', () => {
  it('hashes files and reports missing ones as null', async () => {
    const root = await testdir({ 'a.png': 'aaa', 'sub/b.png': 'bbb' });
    const result = await hashFiles(['a.png', 'sub/b.png', 'gone.png'], { root, cache: new HashCache(), now: LATER });
    expect(result.get('a.png')).toEqual({ sha256: sha256Hex('aaa'), size: 3 });
    expect(result.get('sub/b.png')?.sha256).toBe(sha256Hex('bbb'));
    expect(result.get('gone.png')).toBeNull();
  });

  it('does not read a file again while its size, mtime and inode are unchanged', async () => {
    const root = await testdir({ 'a.png': 'aaa' });
    // A record with a wrong hash but the file's current stamp: if hashFiles answers with it, the file
    // was not read (that is the point of the cache, and the only observable difference).
    const cache = new HashCache([['a.png', { ...stampOf(statSync(join(root, 'a.png'))), sha256: 'f'.repeat(64) }]]);
    const result = await hashFiles(['a.png'], { root, cache, now: LATER });
    expect(result.get('a.png')?.sha256).toBe('f'.repeat(64));
  });

  it('reads the file again when it changes, and caches the new hash', async () => {
    const root = await testdir({ 'a.png': 'aaa' });
    const cache = new HashCache();
    await hashFiles(['a.png'], { root, cache, now: LATER });
    writeFileSync(join(root, 'a.png'), 'abc');
    utimesSync(join(root, 'a.png'), new Date(), new Date(Date.now() + 5_000));
    const result = await hashFiles(['a.png'], { root, cache, now: LATER });
    expect(result.get('a.png')?.sha256).toBe(sha256Hex('abc'));
    expect(cache.get('a.png', stampOf(statSync(join(root, 'a.png'))))).toBe(sha256Hex('abc'));
  });

  it('does not cache a file modified moments ago (a second edit in the same mtime tick would be invisible)', async () => {
    const root = await testdir({ 'a.png': 'aaa' });
    const cache = new HashCache();
    const mtime = statSync(join(root, 'a.png')).mtimeMs;
    await hashFiles(['a.png'], { root, cache, now: () => mtime + 100 });
    expect(cache.get('a.png', stampOf(statSync(join(root, 'a.png'))))).toBeUndefined();
  });

  it('persists to .bach/hashes.json only when something changed, and survives a damaged file', async () => {
    const root = await testdir({ 'a.png': 'aaa' });
    const file = join(root, '.bach/hashes.json');
    const cache = new HashCache();
    await hashFiles(['a.png'], { root, cache, now: LATER });
    await cache.write(file);
    const text = await readFile(file, 'utf8');
    const reread = await HashCache.read(file);
    await hashFiles(['a.png'], { root, cache: reread, now: LATER });
    await reread.write(file);
    expect(statSync(file).mtimeMs).toBeLessThanOrEqual(Date.now());
    expect(await readFile(file, 'utf8')).toBe(text);
    writeFileSync(file, '{"format": 1, "files": ');
    const damaged = await HashCache.read(file);
    expect((await hashFiles(['a.png'], { root, cache: damaged, now: LATER })).get('a.png')?.sha256).toBe(sha256Hex('aaa'));
  });
});
