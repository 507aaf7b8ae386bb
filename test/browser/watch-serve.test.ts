import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { artifactPath, CHROMIUM, openChromium } from '../helpers/chromium.js';
import { startInProcess } from '../helpers/in-process-cli.js';
import { testdir } from '../helpers/testdir.js';

// `bach-render watch --serve` through a real watch session against the embedded emulator (issue 12,
// items 3 and 8): the page is served on 127.0.0.1, a save makes the edited shot go in flight and
// come back up to date on the open page — without a reload, and without reloading the other video.

const story = (second: string) =>
  `version: 1\nshots:\n  - { id: first, mode: text-to-video, prompt: "A harbour at dawn", seed: 1 }\n  - { id: second, mode: text-to-video, prompt: "${second}", seed: 2 }\n`;

describe.skipIf(CHROMIUM.skip)(`watch --serve in Chromium${CHROMIUM.note}`, () => {
  it('serves the live page and updates a shot during the session without a reload', async () => {
    const root = await testdir({ 'bach.yaml': story('A ship leaves') });
    const run = startInProcess(['watch', '--emulator', '--serve', '--reporter', 'plain', '--debounce', '50'], { cwd: root, env: { BACH_POLL_INTERVAL: '0.05' } });
    onTestFinished(async () => {
      run.interrupt();
      await run.done;
    });
    await run.waitForText('Review page: http://127.0.0.1:');
    const url = /Review page: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(run.stdout())![1]!;
    await run.waitForText('run 1: 2 rendered', 30_000);

    const { page, errors } = await openChromium();
    await page.goto(url);
    await page.waitForSelector('#live:not([hidden])');
    await page.waitForFunction(() => document.querySelector('#shot-second .badge')?.textContent === 'up to date');
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 1;
      (document.querySelector('#shot-first video') as unknown as { __kept: boolean }).__kept = true;
    });

    writeFileSync(join(root, 'bach.yaml'), story('A ship leaves in fog'));
    await page.waitForFunction(() => document.querySelector('#shot-second .badge')?.textContent === 'in flight', undefined, { timeout: 20_000 });
    // Up to date with the new prompt: the run's settled page (after-build.ts) follows its last event.
    await page.waitForFunction(
      () => document.querySelector('#shot-second .badge')?.textContent === 'up to date' && document.querySelector('#shot-second')!.textContent!.includes('A ship leaves in fog'),
      undefined,
      { timeout: 30_000 },
    );
    const kept = await page.evaluate(() => ({
      marker: (window as unknown as { __marker?: number }).__marker,
      first: (document.querySelector('#shot-first video') as unknown as { __kept?: boolean }).__kept,
    }));
    expect(kept).toEqual({ marker: 1, first: true });
    await page.screenshot({ path: artifactPath('watch-serve.png'), fullPage: true });
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
