// What an emulator result shows (issue 12): the prompt's start, the seed, the size and a running
// timecode over colours chosen by the request, so that a person can tell shots apart. Checked by
// parsing the files (always) and by decoding frames with ffmpeg and comparing pixel regions (no
// OCR): ffmpeg is required in CI and skipped elsewhere with a message naming the Debian package.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMp4 } from '../../../src/video/index.js';
import { textToVideoBody, useEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { countLumaDifferences, decodeFrames, readDecodeErrors } from '../../helpers/ffmpeg.js';
import { FFMPEG, requireSystemTools } from '../../helpers/system-tools.js';
import { testdir } from '../../helpers/testdir.js';

const ffmpeg = requireSystemTools('the emulator result picture tests', [FFMPEG]);
const [WIDTH, HEIGHT] = [1280, 720];

async function renderShot(emu: TestEmulator, body: Record<string, unknown>): Promise<{ taskId: string; bytes: Buffer; file: string }> {
  const created = await emu.call('POST', '/videos/text2video', { body });
  expect(created.json?.code, created.text).toBe(200);
  const taskId = created.json!.data.task_id as string;
  const done = await emu.waitForTask(taskId);
  const bytes = Buffer.from(await (await fetch(done.video_url as string)).arrayBuffer());
  const file = join(await testdir(), `${taskId}.mp4`);
  await writeFile(file, bytes);
  return { taskId, bytes, file };
}

const SHOT_A = textToVideoBody({ prompt: 'A lighthouse keeper climbs the spiral stairs at dawn', seed: 4242 });
const SHOT_B = textToVideoBody({ prompt: 'Rain on a neon-lit street, a cat shelters under a scooter', seed: 7 });

describe('emulator result pictures', () => {
  it('are 6 s of 24 fps at the request size, one file per task', async () => {
    const emu = await useEmulator();
    for (const body of [SHOT_A, SHOT_B]) {
      const { taskId, bytes } = await renderShot(emu, body);
      expect(parseMp4(bytes)).toMatchObject({ width: WIDTH, height: HEIGHT, fps: 24, frameCount: 144, durationSeconds: 6, tag: taskId });
    }
  });

  describe.skipIf(ffmpeg.skip)('decoded with ffmpeg', () => {
    beforeAll(ffmpeg.assertAvailable);

    it('differ between shots with different prompts and seeds, in the text panel and in the colours', async () => {
      const emu = await useEmulator();
      const a = await renderShot(emu, SHOT_A);
      const b = await renderShot(emu, SHOT_B);
      const reseeded = await renderShot(emu, { ...SHOT_A, seed: 4243 });
      for (const shot of [a, b, reseeded]) expect(readDecodeErrors(shot.file)).toBe('');
      const [frameA] = decodeFrames(a.file, [0], { width: WIDTH, height: HEIGHT });
      const [frameB] = decodeFrames(b.file, [0], { width: WIDTH, height: HEIGHT });
      const [frameReseeded] = decodeFrames(reseeded.file, [0], { width: WIDTH, height: HEIGHT });
      const top = { x: 0, y: 0, width: WIDTH, height: HEIGHT / 4 };
      const bottom = { x: 0, y: HEIGHT / 2, width: WIDTH, height: HEIGHT / 2 };
      expect(countLumaDifferences(frameA!, frameB!, WIDTH, top)).toBeGreaterThan(5_000); // other prompt
      expect(countLumaDifferences(frameA!, frameB!, WIDTH, bottom)).toBeGreaterThan(bottom.width * bottom.height * 0.5); // other colours
      // Only the seed differs: the seed line and the colours change.
      expect(countLumaDifferences(frameA!, frameReseeded!, WIDTH, top)).toBeGreaterThan(0);
      expect(countLumaDifferences(frameA!, frameReseeded!, WIDTH, bottom)).toBeGreaterThan(bottom.width * bottom.height * 0.5);
    });

    it('run a timecode: the frames of one shot differ in one small region only, more with time', async () => {
      const emu = await useEmulator();
      const { file } = await renderShot(emu, SHOT_A);
      const [first, next, later, last] = decodeFrames(file, [0, 1, 40, 143], { width: WIDTH, height: HEIGHT });
      const whole = { x: 0, y: 0, width: WIDTH, height: HEIGHT };
      const region = findChangedRegion(first!, last!);
      expect(region, 'the last frame differs from the first').not.toBeNull();
      // A text line, not the picture: less than a third of the width and a tenth of the height.
      expect(region!.width).toBeLessThan(WIDTH / 3);
      expect(region!.height).toBeLessThan(HEIGHT / 10);
      for (const frame of [next!, later!]) {
        const changed = countLumaDifferences(first!, frame, WIDTH, whole);
        expect(changed).toBeGreaterThan(0);
        expect(countLumaDifferences(first!, frame, WIDTH, region!)).toBe(changed);
      }
    });

    it('are the same picture for the same request (another task), in another file', async () => {
      const emu = await useEmulator();
      const one = await renderShot(emu, SHOT_A);
      const two = await renderShot(emu, SHOT_A);
      expect(one.bytes.equals(two.bytes)).toBe(false);
      const [a] = decodeFrames(one.file, [100], { width: WIDTH, height: HEIGHT });
      const [b] = decodeFrames(two.file, [100], { width: WIDTH, height: HEIGHT });
      expect(a!.equals(b!)).toBe(true);
    });
  });
});

/** The bounding box of the luma samples that differ between two frames, or null. */
function findChangedRegion(a: Buffer, b: Buffer): { x: number; y: number; width: number; height: number } | null {
  let [minX, minY, maxX, maxY] = [WIDTH, HEIGHT, -1, -1];
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      if (a[y * WIDTH + x] === b[y * WIDTH + x]) continue;
      [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
