// Cross-checks with a real decoder: every frame decodes cleanly, to exactly the picture the encoder
// believes the decoder holds, with the profile and level of the stream we declare. Needs ffmpeg and
// ffprobe (required in CI; skipped elsewhere with a message naming the Debian package).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlockPicture } from '../../../src/video/block-picture.js';
import { createCardLayout, type VideoCard } from '../../../src/video/card-layout.js';
import { encodeCardVideo } from '../../../src/video/h264-encoder.js';
import { createFrameGeometry } from '../../../src/video/h264-params.js';
import { createMp4, createMp4Layout, iterateMp4Layout } from '../../../src/video/index.js';
import { countLumaDifferences, decodeFrames, probeVideo, readDecodeErrors } from '../../helpers/ffmpeg.js';
import { FFMPEG, FFPROBE, requireSystemTools } from '../../helpers/system-tools.js';
import { testdir } from '../../helpers/testdir.js';
import { moveMoovToEnd } from './mp4-test-utils.js';
import { copyPicture, expandToYuv420 } from './picture-model.js';

const tools = requireSystemTools('the ffmpeg cross-checks of src/video', [FFMPEG, FFPROBE]);

// The emulator's sizes, with the level each had before the picture gained text (as parsed in create-mp4.test.ts).
const SIZES: readonly [number, number, number][] = [
  [1280, 720, 31], [720, 1280, 31], [720, 720, 31],
  [1920, 1080, 40], [1080, 1920, 40], [1080, 1080, 32],
];

const CARD: VideoCard = {
  key: 'request-a',
  title: 'A lighthouse keeper climbs the spiral stairs at dawn — «naïve» 🎬 <script>',
  lines: ['seed 4242 · a test card'],
};

async function writeVideo(name: string, bytes: Uint8Array): Promise<string> {
  const file = join(await testdir(), name);
  await writeFile(file, bytes);
  return file;
}

describe.skipIf(tools.skip)('ffmpeg decodes what src/video encodes', () => {
  beforeAll(tools.assertAvailable);

  it.each(SIZES)('%ix%i decodes cleanly as Constrained Baseline at level %i', async (width, height, level) => {
    const file = await writeVideo('out.mp4', createMp4({ width, height, fps: 24, durationSeconds: 6, tag: 'ffprobe', card: CARD }));
    expect(readDecodeErrors(file)).toBe('');
    expect(probeVideo(file)).toMatchObject({
      codec_name: 'h264',
      profile: 'Constrained Baseline',
      level,
      width,
      height,
      pix_fmt: 'yuv420p',
      r_frame_rate: '24/1',
      duration: '6.000000',
      nb_frames: '144',
      nb_read_frames: '144',
    });
  });

  it.each([[1080, 1080], [1280, 720]])('%ix%i decodes to exactly the picture the encoder tracked, frame by frame', async (width, height) => {
    const indices = [0, 1, 23, 24, 71, 143];
    const expected = new Map<number, BlockPicture>();
    encodeCardVideo({ width, height, fps: 24, frameCount: 144, card: CARD }, (index, picture) => {
      if (indices.includes(index)) expected.set(index, copyPicture(picture));
    });
    const file = await writeVideo('model.mp4', createMp4({ width, height, fps: 24, durationSeconds: 6, card: CARD }));
    const decoded = decodeFrames(file, indices, { width, height });
    indices.forEach((index, position) => {
      const model = expandToYuv420(expected.get(index)!);
      const frame = decoded[position]!;
      let mismatches = 0;
      for (let i = 0; i < model.length; i++) if (frame[i] !== model[i]) mismatches++;
      expect(mismatches, `frame ${index}`).toBe(0);
    });
  });

  it('shows each card differently, and only the timecode changes over time', async () => {
    const [width, height] = [1280, 720];
    const other: VideoCard = { key: 'request-b', title: 'A different shot entirely', lines: ['seed 7'] };
    const a = await writeVideo('a.mp4', createMp4({ width, height, fps: 24, durationSeconds: 2, card: CARD }));
    const b = await writeVideo('b.mp4', createMp4({ width, height, fps: 24, durationSeconds: 2, card: other }));
    const [a0, a30] = decodeFrames(a, [0, 30], { width, height });
    const [b0] = decodeFrames(b, [0], { width, height });
    const layout = createCardLayout(createFrameGeometry(width, height), CARD, '00:00:01:23'.length);
    const whole = { x: 0, y: 0, width, height };
    const panel = { x: 0, y: 0, width, height: layout.panelHeight };
    const below = { x: 0, y: layout.panelHeight, width, height: height - layout.panelHeight };
    // Another request: other text in the panel, other colours below it.
    expect(countLumaDifferences(a0!, b0!, width, panel)).toBeGreaterThan(1000);
    expect(countLumaDifferences(a0!, b0!, width, below)).toBeGreaterThan(below.width * below.height * 0.5);
    // The same video later: the timecode (and nothing else) differs.
    const { x, y, scale } = layout.timecode!;
    const timecode = { x, y, width: (11 * 6 - 1) * scale, height: 9 * scale };
    const changed = countLumaDifferences(a0!, a30!, width, timecode);
    expect(changed).toBeGreaterThan(0);
    expect(countLumaDifferences(a0!, a30!, width, whole)).toBe(changed);
  });

  it('decodes a padded file, a file with moov at the end, other frame rates and tiny sizes', async () => {
    const dir = await testdir();
    const padded = createMp4Layout({ width: 1920, height: 1080, fps: 24, durationSeconds: 5, totalSize: 8_000_000, card: CARD });
    await writeFile(join(dir, 'padded.mp4'), Buffer.concat([...iterateMp4Layout(padded)]));
    await writeFile(join(dir, 'moov-last.mp4'), moveMoovToEnd(createMp4({ width: 1280, height: 720, fps: 24, durationSeconds: 1 })));
    await writeFile(join(dir, 'fps30.mp4'), createMp4({ width: 642, height: 362, fps: 30, durationSeconds: 10 }));
    await writeFile(join(dir, 'tiny.mp4'), createMp4({ width: 64, height: 48, fps: 24, durationSeconds: 1, card: CARD }));
    for (const name of ['padded.mp4', 'moov-last.mp4', 'fps30.mp4', 'tiny.mp4']) expect(readDecodeErrors(join(dir, name)), name).toBe('');
    expect(probeVideo(join(dir, 'padded.mp4'))).toMatchObject({ width: 1920, height: 1080, nb_frames: '120', duration: '5.000000' });
    expect(probeVideo(join(dir, 'moov-last.mp4'))).toMatchObject({ width: 1280, height: 720, nb_frames: '24' });
    expect(probeVideo(join(dir, 'fps30.mp4'))).toMatchObject({ width: 642, height: 362, r_frame_rate: '30/1', nb_read_frames: '300' });
    expect(probeVideo(join(dir, 'tiny.mp4'))).toMatchObject({ width: 64, height: 48, nb_read_frames: '24' });
  });
});
