import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../src/render/batches.js';

const items = (sizes: number[]) => sizes.map((size, i) => ({ sha256: String(i), size }));

describe('createBatches', () => {
  it.each([
    [[], 300, 1000, []],
    [[1, 1, 1], 2, 1000, [2, 1]],
    [Array(350).fill(1), 300, Infinity, [300, 50]],
    [Array(600).fill(1), 300, Infinity, [300, 300]],
    [[400, 400, 400], 300, 1000, [2, 1]],
    [[999, 2, 2], 300, 1000, [1, 2]],
    [[2000, 1], 300, 1000, [1, 1]], // one image over the cap still goes, alone
  ] as [number[], number, number, number[]][])('splits %j (max %i images, %i bytes) into batches of %j', (sizes, maxImages, maxBytes, expected) => {
    expect(createBatches(items(sizes), { maxImages, maxBytes }).map((b) => b.length)).toEqual(expected);
  });

  it('defaults to the API limit of 300 images per batch and keeps the order', () => {
    const batches = createBatches(items(Array(301).fill(10)));
    expect(batches.map((b) => b.length)).toEqual([300, 1]);
    expect(batches.flat().map((i) => i.sha256)).toEqual(items(Array(301).fill(10)).map((i) => i.sha256));
  });
});
