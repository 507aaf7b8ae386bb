import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readShotFailures, reviewFailuresPath, writeShotFailures } from '../../../src/review/run-overlay-io.js';

// `.bach/review-failures.json` is written at the end of every build: only when its text changes, so
// that a build with nothing to note does not flush a file on its way out.

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'bach-failures-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const NOTE = { fingerprint: 'a'.repeat(64), message: 'task t1 failed: no reason given', taskId: 't1' };

describe('writeShotFailures', () => {
  it('writes nothing when nothing failed and no file exists (no file reads as no failures)', async () => {
    await writeShotFailures(root, {});
    await expect(stat(reviewFailuresPath(root))).rejects.toThrow();
    expect(await readShotFailures(root)).toEqual({});
  });

  it('writes a failure, leaves the file alone when the same failures are written again, and empties it when they are gone', async () => {
    await writeShotFailures(root, { s1: NOTE });
    expect(await readShotFailures(root)).toEqual({ s1: NOTE });
    const first = await stat(reviewFailuresPath(root));
    await writeShotFailures(root, { s1: NOTE });
    expect((await stat(reviewFailuresPath(root))).ino).toBe(first.ino); // not replaced (an atomic write renames a new file in)
    await writeShotFailures(root, {});
    expect(await readShotFailures(root)).toEqual({});
    expect(JSON.parse(await readFile(reviewFailuresPath(root), 'utf8'))).toEqual({ version: 1, failed: {} });
  });

  it('replaces a file whose text differs, even with the same failures (a hand-edited one)', async () => {
    await mkdir(join(root, '.bach'), { recursive: true });
    await writeFile(reviewFailuresPath(root), JSON.stringify({ version: 1, failed: { s1: NOTE } }));
    await writeShotFailures(root, { s1: NOTE });
    expect(await readFile(reviewFailuresPath(root), 'utf8')).toBe(`${JSON.stringify({ version: 1, failed: { s1: NOTE } }, null, 2)}\n`);
  });
});
