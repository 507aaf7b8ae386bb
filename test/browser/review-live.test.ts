import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createReviewPage } from '../../src/review/create-review-page.js';
import type { ReviewData } from '../../src/review/review-data.js';
import { startReviewServer } from '../../src/review/review-server.js';
import { writeReviewPage } from '../../src/review/write-review-page.js';
import { sha256Hex } from '../../src/util/hash.js';
import { createMp4 } from '../../src/video/index.js';
import { file, makeShot } from '../helpers/builders.js';
import { artifactPath, CHROMIUM, openChromium } from '../helpers/chromium.js';
import { makePng } from '../helpers/images.js';
import { createTestReviewData } from '../helpers/review.js';
import { testdir } from '../helpers/testdir.js';

// The live page (what `watch --serve` will show), driven from the server directly: the page is
// opened over HTTP from the review server, the server pushes updates, and the page changes in
// place — no reload, and a video whose file did not change is the same element, still playing.

const story = [
  makeShot({ id: 'a', mode: 'image-to-video', image: file('frames/a.png'), duration: 2, seed: 1 }),
  makeShot({ id: 'b', mode: 'image-to-video', image: file('frames/a.png'), duration: 1, seed: 2 }),
];

describe.skipIf(CHROMIUM.skip)(`the live review page in Chromium${CHROMIUM.note}`, () => {
  it('applies pushed updates without reloading the page or a video that did not change', async () => {
    const videoA = createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 2 });
    const videoB = createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 1 });
    const root = await testdir({ 'frames/a.png': makePng(1, { size: 32 }), 'renders/a.mp4': videoA, 'renders/b.mp4': videoB });
    const shas = { a: sha256Hex(videoA), b: sha256Hex(videoB) };
    const data = createTestReviewData(story, { files: { 'frames/a.png': 'A' }, videoShas: shas });
    await writeReviewPage(root, 'renders', createReviewPage(data));
    const server = await startReviewServer({ root, data });
    onTestFinished(() => server.close());

    const { page, errors } = await openChromium();
    await page.goto(server.url);
    await page.waitForSelector('#live:not([hidden])');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('video.shot-video')].every((video) => video.readyState >= 2));
    // Marks that a reload or a replaced element would lose; card a's video starts playing.
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 1;
      const video = document.querySelector<HTMLVideoElement>('#shot-a video')!;
      (video as unknown as { __kept: boolean }).__kept = true;
      video.muted = true;
      video.loop = true;
      return video.play();
    });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('#shot-a video')!.currentTime > 0.1);
    const updatesBefore = Number((await page.getAttribute('body', 'data-updates')) ?? '0');

    // Shot b is being rendered again: in flight.
    const inFlight: ReviewData = { ...structuredClone(data), run: { failed: {}, inFlight: { b: { status: 'processing', taskId: 'task-42' } } } };
    server.push(inFlight);
    await page.waitForFunction(() => document.querySelector('#shot-b .badge')?.textContent === 'in flight');
    expect(await page.textContent('#shot-b .live')).toContain('processing');
    expect(await page.textContent('#totals')).toContain('1 in flight');
    expect(Number(await page.getAttribute('body', 'data-updates'))).toBe(updatesBefore + 1);

    // Shot b finished with a new video: only b's video element is replaced.
    const newB = createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 1, tag: 'take 2' });
    writeFileSync(join(root, 'renders/b.mp4'), newB);
    const done: ReviewData = { ...structuredClone(data), videos: { ...data.videos, b: { size: newB.length, sha256: sha256Hex(newB) } } };
    const oldSrcB = await page.getAttribute('#shot-b video', 'src');
    await page.evaluate(() => ((document.querySelector('#shot-b video') as unknown as { __kept: boolean }).__kept = true));
    server.push(done);
    await page.waitForFunction(() => document.querySelector('#shot-b .badge')?.textContent === 'up to date');
    const after = await page.evaluate(() => ({
      marker: (window as unknown as { __marker?: number }).__marker,
      aKept: (document.querySelector('#shot-a video') as unknown as { __kept?: boolean }).__kept,
      aPlaying: !document.querySelector<HTMLVideoElement>('#shot-a video')!.paused,
      bKept: (document.querySelector('#shot-b video') as unknown as { __kept?: boolean }).__kept,
      bSrc: document.querySelector('#shot-b video')!.getAttribute('src'),
    }));
    expect(after).toEqual({ marker: 1, aKept: true, aPlaying: true, bKept: undefined, bSrc: expect.stringMatching(/^b\.mp4\?v=[0-9a-f]{16}#t=0\.001$/) });
    expect(after.bSrc).not.toBe(oldSrcB);
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('#shot-b video')!.readyState >= 2);
    const time = await page.evaluate(() => document.querySelector<HTMLVideoElement>('#shot-a video')!.currentTime);
    await page.waitForFunction((before) => document.querySelector<HTMLVideoElement>('#shot-a video')!.currentTime !== before, time);

    // A new shot appears in storyboard order; a removed one disappears.
    const reordered = createTestReviewData([story[1]!, makeShot({ id: 'c', seed: 3 })], { files: { 'frames/a.png': 'A' }, videoShas: { b: sha256Hex(newB) }, unbuilt: ['c'] });
    server.push(reordered);
    await page.waitForFunction(() => [...document.querySelectorAll('#shots > .shot')].map((card) => card.getAttribute('data-id')).join() === 'b,c');
    expect(await page.textContent('#shot-c .badge')).toBe('missing');
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    await page.screenshot({ path: artifactPath('review-live.png'), fullPage: true });
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
