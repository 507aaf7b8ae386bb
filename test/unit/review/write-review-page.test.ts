import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReviewPage } from '../../../src/review/write-review-page.js';
import { testdir } from '../../helpers/testdir.js';

// The page is written atomically and only when its content changed (an unchanged page keeps its mtime).

describe('writeReviewPage', () => {
  it('creates the output folder, writes, and leaves an identical page alone', async () => {
    const root = await testdir({});
    const first = await writeReviewPage(root, 'out/videos', '<p>one</p>');
    expect(first).toEqual({ path: join(root, 'out/videos/index.html'), written: true });
    utimesSync(first.path, new Date(1000), new Date(1000));
    expect((await writeReviewPage(root, 'out/videos', '<p>one</p>')).written).toBe(false);
    expect(statSync(first.path).mtimeMs).toBe(1000);
    expect((await writeReviewPage(root, 'out/videos', '<p>two</p>')).written).toBe(true);
    expect(readFileSync(first.path, 'utf8')).toBe('<p>two</p>');
  });
});
