import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PlanJson } from '../../src/plan/plan-json.js';
import { artifactPath, CHROMIUM, openChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir } from '../helpers/testdir.js';

// The review page in a real browser, end to end: the built CLI renders a storyboard against the
// emulator and writes the page; Chromium opens it from the file system. Every video loads and plays;
// the order and the states are the plan's (`plan --json`) after a build, after an edit and after
// the next build; Play all moves from the first shot to the second when the first ends; a prompt
// holding <script> runs nothing. A screenshot is kept in test-artifacts/.

const EVIL = '</p><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const STORY = `version: 1
name: Browser Test
defaults:
  resolution: 720p
shots:
  - id: first
    mode: image-to-video
    image: frames/a.png
    prompt: The first shot
    duration: 1
    seed: 1
  - id: second
    mode: image-to-video
    image: frames/b.png
    prompt: '${EVIL}'
    duration: 1
    seed: 2
  - id: third
    mode: text-to-video
    prompt: The third shot, at dusk
    seed: 3
`;

function cli(root: string, emulator: TestEmulator, ...args: string[]) {
  return runCli(args, {
    cwd: root,
    env: { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' },
  });
}

async function planOf(root: string, emulator: TestEmulator): Promise<PlanJson> {
  const result = await cli(root, emulator, 'plan', '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as PlanJson;
}

async function review(root: string, emulator: TestEmulator): Promise<void> {
  const result = await cli(root, emulator, 'review');
  expect(result.code, result.stderr + result.stdout).toBe(0);
}

/** What the page shows per card: id, badge, reasons. */
function readCards(page: Page) {
  return page.$$eval('#shots > article.shot', (cards) =>
    cards.map((card) => ({
      id: card.getAttribute('data-id'),
      state: card.querySelector('.badge')?.textContent,
      reasons: [...card.querySelectorAll('.reasons li')].map((li) => li.textContent),
    })),
  );
}

/** Waits until every card's video shows its first frame (for assertions and screenshots alike). */
function waitForVideos(page: Page) {
  return page.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('video.shot-video')].every((video) => video.readyState >= 2));
}

const STATE_OF_ACTION: Record<string, string> = { unchanged: 'up to date', update: 'stale', create: 'missing' };

describe.skipIf(CHROMIUM.skip)(`the review page in Chromium${CHROMIUM.note}`, () => {
  it('plays every video, shows the plan\'s order and states through build → edit → build, plays all, runs no injected script', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const root = await testdir({ 'bach.yaml': STORY, 'frames/a.png': makePng(1, { size: 32 }), 'frames/b.png': makePng(2, { size: 32 }) });
    const built = await cli(root, emulator, 'build');
    expect(built.code, built.stderr + built.stdout).toBe(0);
    await review(root, emulator);
    const pageUrl = pathToFileURL(join(root, 'renders', 'index.html')).href;
    const { page, errors } = await openChromium();
    await page.goto(pageUrl);

    // Order and states: the plan's.
    const plan = await planOf(root, emulator);
    expect((await readCards(page)).map((card) => card.id)).toEqual(plan.shots.map((shot) => shot.id));
    expect((await readCards(page)).map((card) => card.state)).toEqual(plan.shots.map((shot) => STATE_OF_ACTION[shot.action]));
    expect(await page.textContent('#totals')).toContain('3shots');

    // Every video loads (a first frame before play) and plays (its time advances).
    const videos = await page.$$('video.shot-video');
    expect(videos).toHaveLength(3);
    for (const video of videos) {
      await video.evaluate((element: HTMLVideoElement) =>
        new Promise<void>((resolve, reject) => {
          if (element.readyState >= 2) return resolve();
          element.addEventListener('loadeddata', () => resolve(), { once: true });
          element.addEventListener('error', () => reject(new Error(element.error?.message ?? 'video error')), { once: true });
        }),
      );
      expect(await video.evaluate((element: HTMLVideoElement) => [element.videoWidth, element.videoHeight])).toEqual([1280, 720]);
      await video.evaluate((element: HTMLVideoElement) => {
        element.muted = true;
        return element.play();
      });
      await page.waitForFunction((element) => (element as HTMLVideoElement).currentTime > 0.2, video);
      await video.evaluate((element: HTMLVideoElement) => element.pause());
    }

    // A prompt holding <script> is shown as text and runs nothing.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('#shot-second .prompt .text')).toBe(EVIL);

    // Play all: the first shot, then the second when the first ends, the playing card highlighted.
    await page.click('#play-all');
    await page.waitForFunction(() => document.querySelector('#shot-first')?.classList.contains('is-playing'));
    await page.waitForFunction(() => document.getElementById('stage')?.getAttribute('data-last-switch') !== null, undefined, { timeout: 15_000 });
    const switched = JSON.parse((await page.getAttribute('#stage', 'data-last-switch'))!);
    expect(switched).toMatchObject({ from: 'first', to: 'second', count: 1 });
    // The next shot was loaded and ready when the first ended: it starts without a gap.
    expect(switched.readyState).toBeGreaterThanOrEqual(3);
    expect(await page.$eval('#shot-second', (card) => card.classList.contains('is-playing'))).toBe(true);
    expect(await page.$eval('#shot-first', (card) => card.classList.contains('is-playing'))).toBe(false);
    await page.waitForFunction(() => {
      const front = document.querySelector<HTMLVideoElement>('#stage video.is-front');
      return front !== null && front.getAttribute('data-src')!.startsWith('second.mp4') && front.currentTime > 0;
    });
    // Any shot can start the film.
    await page.click('#shot-third .play-from');
    await page.waitForFunction(() => document.querySelector('#shot-third')?.classList.contains('is-playing'));
    expect(await page.$$eval('#shots > .shot.is-playing', (cards) => cards.map((card) => card.getAttribute('data-id')))).toEqual(['third']);
    expect(await page.$eval('#strip .seg.is-playing', (seg) => seg.getAttribute('data-id'))).toBe('third');
    await page.click('#stop');
    await waitForVideos(page);
    await page.screenshot({ path: artifactPath('review-page.png'), fullPage: true });

    // An edit: the edited shot is stale, with the plan's reason.
    writeFileSync(join(root, 'bach.yaml'), readFileSync(join(root, 'bach.yaml'), 'utf8').replace('The first shot', 'The first shot, in the rain'));
    await review(root, emulator);
    await page.reload();
    await waitForVideos(page);
    const edited = await planOf(root, emulator);
    expect(edited.shots[0]!.reasons.map((reason) => reason.text)).toEqual(['prompt "The first shot" → "The first shot, in the rain"']);
    expect(await readCards(page)).toEqual(
      edited.shots.map((shot) => ({ id: shot.id, state: STATE_OF_ACTION[shot.action], reasons: shot.action === 'update' ? shot.reasons.map((r) => r.text) : [] })),
    );
    expect((await readCards(page))[0]).toEqual({ id: 'first', state: 'stale', reasons: ['prompt "The first shot" → "The first shot, in the rain"'] });
    await page.screenshot({ path: artifactPath('review-page-stale.png'), fullPage: true });

    // The next build: everything up to date again.
    expect((await cli(root, emulator, 'build')).code).toBe(0);
    await review(root, emulator);
    await page.reload();
    expect((await readCards(page)).map((card) => card.state)).toEqual(['up to date', 'up to date', 'up to date']);
    expect(await page.textContent('#shot-first .prompt .text')).toBe('The first shot, in the rain');
    expect(errors).toEqual([]);
  });
});
