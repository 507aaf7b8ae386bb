import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { executeCut, type CutProject } from '../../src/cut/execute-cut.js';
import { sha256Hex } from '../../src/util/hash.js';
import { createMp4 } from '../../src/video/index.js';
import { makeShot } from '../helpers/builders.js';
import { CHROMIUM, openChromium } from '../helpers/chromium.js';
import { createTestPlanJson } from '../helpers/review.js';
import { testdir } from '../helpers/testdir.js';
import { requireTool } from '../helpers/tools.js';

// The measured trap of stream-copied cuts: shots whose H.264 parameter sets differ make a file
// Chromium refuses mid-way (PIPELINE_ERROR_DECODE) unless each shot's SPS/PPS travel with its first
// frame. The cut must play in Chromium from the first frame to the last.

const ffmpeg = requireTool('ffmpeg', 'ffmpeg');

async function cutOf(clips: Array<{ id: string; bytes: Uint8Array }>) {
  const root = await testdir(Object.fromEntries(clips.map((clip) => [`renders/${clip.id}.mp4`, clip.bytes])));
  const project: CutProject = {
    root,
    output: 'renders',
    name: 'film',
    planJson: createTestPlanJson(clips.map((clip, index) => makeShot({ id: clip.id, seed: index + 1 }))),
    videos: Object.fromEntries(clips.map((clip) => [clip.id, { size: clip.bytes.length, sha256: sha256Hex(clip.bytes) }])),
  };
  const outcome = await executeCut(project, { env: {} });
  if (outcome.kind !== 'cut') throw new Error(`expected a cut, got ${outcome.kind}`);
  return { outcome, url: pathToFileURL(join(root, outcome.film)).href };
}

/** Plays a file to its end in the page; resolves with what the element saw. */
function playThrough(page: Page, url: string) {
  return page.evaluate(
    (src) =>
      new Promise<{ ended: boolean; error: string | null; currentTime: number; duration: number; frames: number }>((resolve) => {
        const video = document.createElement('video');
        video.muted = true;
        document.body.append(video);
        video.addEventListener('ended', () =>
          resolve({ ended: true, error: null, currentTime: video.currentTime, duration: video.duration, frames: video.getVideoPlaybackQuality().totalVideoFrames }),
        );
        video.addEventListener('error', () =>
          resolve({ ended: false, error: video.error?.message ?? 'error', currentTime: video.currentTime, duration: video.duration, frames: 0 }),
        );
        video.src = src;
        void video.play();
      }),
    url,
  );
}

describe.skipIf(CHROMIUM.skip)(`a stream-copied cut in Chromium${CHROMIUM.note}`, () => {
  it('plays to the end when the shots\' parameter sets differ (frame rate and level)', async () => {
    const { outcome, url } = await cutOf([
      { id: 'a', bytes: createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 1 }) },
      { id: 'b', bytes: createMp4({ width: 320, height: 180, fps: 30, durationSeconds: 1 }) },
      { id: 'c', bytes: createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 1 }) },
    ]);
    expect(outcome.method).toBe('copy-in-band');
    const { page } = await openChromium();
    await page.goto(url.replace(/[^/]+$/, ''));
    const played = await playThrough(page, url);
    expect(played).toMatchObject({ ended: true, error: null, frames: 78 });
    expect(played.currentTime).toBeCloseTo(3, 1);
  });

  it.skipIf(ffmpeg.skip)(`plays to the end across shots from different encoders (Baseline and x264 High)${ffmpeg.note}`, async () => {
    const dir = await testdir({});
    const made = spawnSync(ffmpeg.path!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=24:duration=1', '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', join(dir, 'x264.mp4')]);
    expect(made.status).toBe(0);
    const { outcome, url } = await cutOf([
      { id: 'baseline', bytes: createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 1 }) },
      { id: 'high', bytes: readFileSync(join(dir, 'x264.mp4')) },
      { id: 'again', bytes: createMp4({ width: 320, height: 180, fps: 24, durationSeconds: 1 }) },
    ]);
    expect(outcome.method).toBe('copy-in-band');
    const { page } = await openChromium();
    await page.goto(url.replace(/[^/]+$/, ''));
    const played = await playThrough(page, url);
    expect(played).toMatchObject({ ended: true, error: null, frames: 72 });
  });
});
