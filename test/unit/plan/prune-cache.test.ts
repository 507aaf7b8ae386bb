import { describe, expect, it } from 'vitest';
import { chooseCacheToRemove } from '../../../src/plan/prune-cache.js';
import { findStrayOutputs } from '../../../src/plan/stray-outputs.js';
import { makeManifest, makeShot } from '../../helpers/builders.js';

const fp = (n: number) => String(n).padStart(64, '0');

describe('chooseCacheToRemove', () => {
  it('never removes a referenced take, and keeps the newest N of each shot', () => {
    const takes = [
      { fingerprint: fp(1), shotId: 'a', writtenMs: 1 },
      { fingerprint: fp(2), shotId: 'a', writtenMs: 2 },
      { fingerprint: fp(3), shotId: 'a', writtenMs: 3 },
      { fingerprint: fp(4), shotId: 'b', writtenMs: 1 },
      { fingerprint: fp(5), shotId: undefined, writtenMs: 0 },
    ];
    expect(chooseCacheToRemove(takes, new Set([fp(1)]), 1)).toEqual([fp(2)]);
    expect(chooseCacheToRemove(takes, new Set([fp(1)]), 0)).toEqual([fp(2), fp(3), fp(4), fp(5)]);
    expect(chooseCacheToRemove(takes, new Set(), 3)).toEqual([]);
  });
});

describe('findStrayOutputs', () => {
  it('lists <output>/<id>.mp4 files of ids no shot has; never the film or a kept altered copy', () => {
    const manifest = makeManifest([makeShot({ id: 'a' })], { name: 'trailer', output: 'renders' });
    expect(findStrayOutputs(manifest, ['a.mp4', 'b.mp4', 'trailer.mp4', 'a.altered-20261204-010203.mp4', 'Notes.mp4'])).toEqual(['renders/b.mp4']);
  });
});
