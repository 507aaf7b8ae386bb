import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File, sha256Hex } from '../../../src/util/hash.js';
import { testdir } from '../../helpers/testdir.js';

// sha256File reads through one reused buffer (issue 14 item 4c): the digest and size must be those of
// the whole file whatever its size against the buffer's — empty, one byte, several chunks and a tail.

describe('sha256File', () => {
  it('hashes the whole file, across chunk boundaries', async () => {
    const sizes = [0, 1, 128 * 1024, 128 * 1024 + 1, 3 * 128 * 1024 + 12_345];
    const contents = sizes.map((size) => randomBytes(size));
    const root = await testdir(Object.fromEntries(contents.map((bytes, i) => [`f${i}`, bytes])));
    for (const [i, bytes] of contents.entries()) {
      expect(await sha256File(join(root, `f${i}`))).toEqual({ sha256: sha256Hex(bytes), size: bytes.length });
    }
  });

  it('stops when its signal is aborted', async () => {
    const root = await testdir({ big: randomBytes(1024 * 1024) });
    const controller = new AbortController();
    controller.abort();
    await expect(sha256File(join(root, 'big'), controller.signal)).rejects.toThrow(/abort/i);
  });
});
