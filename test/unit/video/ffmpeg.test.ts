// Cross-checks with a real decoder. Runs only where ffmpeg and ffprobe are on PATH; the rest of the
// suite never needs them.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFrameGeometry } from '../../../src/video/h264-params.js';
import { planIdrPicture } from '../../../src/video/h264-slices.js';
import { createMp4, createMp4Layout, iterateMp4Layout } from '../../../src/video/index.js';
import { testdir } from '../../helpers/testdir.js';
import { moveMoovToEnd } from './mp4-test-utils.js';

const hasTools = ['ffmpeg', 'ffprobe'].every((tool) => spawnSync(tool, ['-version'], { stdio: 'ignore' }).status === 0);

const SIZES: readonly [number, number][] = [[1280, 720], [720, 1280], [720, 720], [1920, 1080], [1080, 1920], [1080, 1080]];

function run(tool: string, args: string[]): { stdout: Buffer; stderr: string } {
  const result = spawnSync(tool, args, { maxBuffer: 64 * 1024 * 1024 });
  expect(result.status, `${tool} ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr.toString() };
}

function probe(file: string): Record<string, unknown> {
  const { stdout } = run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-count_frames', file]);
  const [stream] = (JSON.parse(stdout.toString()) as { streams: Record<string, unknown>[] }).streams;
  return stream ?? {};
}

/** ffmpeg -v error -i file -f null -: prints nothing when every frame decodes cleanly. */
function decodeErrors(file: string): string {
  return run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']).stderr;
}

describe.skipIf(!hasTools)('ffmpeg / ffprobe agree (optional: needs ffmpeg on PATH)', () => {
  it.each(SIZES)('%ix%i decodes cleanly with the right stream parameters', async (width, height) => {
    const dir = await testdir();
    const file = join(dir, 'out.mp4');
    await writeFile(file, createMp4({ width, height, fps: 24, durationSeconds: 6, tag: 'ffprobe' }));
    expect(decodeErrors(file)).toBe('');
    expect(probe(file)).toMatchObject({
      codec_name: 'h264',
      profile: 'Constrained Baseline',
      width,
      height,
      pix_fmt: 'yuv420p',
      r_frame_rate: '24/1',
      duration: '6.000000',
      nb_frames: '144',
      nb_read_frames: '144',
    });
  });

  it('decodes to exactly the picture the encoder planned, in the first and the last frame', async () => {
    const [width, height] = [1080, 1080]; // cropped at the bottom and the right
    const dir = await testdir();
    const file = join(dir, 'out.mp4');
    await writeFile(file, createMp4({ width, height, fps: 24, durationSeconds: 2 }));
    const geometry = createFrameGeometry(width, height);
    const { colours } = planIdrPicture(geometry);
    for (const frame of [0, 47]) {
      const { stdout } = run('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frame})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-']);
      expect(stdout.length).toBe(width * height * 1.5);
      const mismatches = comparePlanes(stdout, width, height, (plane, x, y) => {
        const mbSize = plane === 0 ? 16 : 8;
        return colours[(Math.floor(y / mbSize) * geometry.widthMbs + Math.floor(x / mbSize)) * 3 + plane] as number;
      });
      expect(mismatches, `frame ${frame}`).toBe(0);
    }
  });

  it('decodes a padded file, a file with moov at the end, and other frame rates', async () => {
    const dir = await testdir();
    const padded = createMp4Layout({ width: 1920, height: 1080, fps: 24, durationSeconds: 5, totalSize: 8_000_000 });
    await writeFile(join(dir, 'padded.mp4'), Buffer.concat([...iterateMp4Layout(padded)]));
    await writeFile(join(dir, 'moov-last.mp4'), moveMoovToEnd(createMp4({ width: 1280, height: 720, fps: 24, durationSeconds: 1 })));
    await writeFile(join(dir, 'fps30.mp4'), createMp4({ width: 642, height: 362, fps: 30, durationSeconds: 10 }));
    for (const name of ['padded.mp4', 'moov-last.mp4', 'fps30.mp4']) expect(decodeErrors(join(dir, name)), name).toBe('');
    expect(probe(join(dir, 'padded.mp4'))).toMatchObject({ width: 1920, height: 1080, nb_frames: '120', duration: '5.000000' });
    expect(probe(join(dir, 'moov-last.mp4'))).toMatchObject({ width: 1280, height: 720, nb_frames: '24' });
    expect(probe(join(dir, 'fps30.mp4'))).toMatchObject({ width: 642, height: 362, r_frame_rate: '30/1', nb_read_frames: '300' });
  });
});

/** Counts samples of a raw yuv420p frame that differ from `expected(plane, x, y)`. */
function comparePlanes(raw: Buffer, width: number, height: number, expected: (plane: number, x: number, y: number) => number): number {
  let mismatches = 0;
  let offset = 0;
  for (let plane = 0; plane < 3; plane++) {
    const [w, h] = plane === 0 ? [width, height] : [width / 2, height / 2];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) if (raw[offset++] !== expected(plane, x, y)) mismatches++;
    }
  }
  return mismatches;
}
