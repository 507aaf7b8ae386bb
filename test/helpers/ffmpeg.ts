import { spawnSync } from 'node:child_process';

// ffmpeg and ffprobe as a reference decoder for tests (see system-tools.ts for when they must exist).

function run(tool: string, args: string[]): { stdout: Buffer; stderr: string } {
  const result = spawnSync(tool, args, { maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr.toString() };
}

/** ffmpeg -v error -i file -f null -: the empty string when every frame decodes cleanly. */
export function readDecodeErrors(file: string): string {
  return run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']).stderr;
}

/** The video stream as ffprobe reports it (frames counted by decoding). */
export function probeVideo(file: string): Record<string, unknown> {
  const { stdout } = run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-count_frames', file]);
  const [stream] = (JSON.parse(stdout.toString()) as { streams: Record<string, unknown>[] }).streams;
  return stream ?? {};
}

/** Frames `indices` (0-based, ascending) of a file as raw yuv420p, in one decoder run. */
export function decodeFrames(file: string, indices: readonly number[], size: { width: number; height: number }): Buffer[] {
  const select = indices.map((index) => `eq(n\\,${index})`).join('+');
  const { stdout } = run('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=${select}`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-']);
  const frameBytes = size.width * size.height * 1.5;
  if (stdout.length !== frameBytes * indices.length) {
    throw new Error(`decoded ${stdout.length} bytes, expected ${indices.length} frames of ${frameBytes}`);
  }
  return indices.map((_, position) => stdout.subarray(position * frameBytes, (position + 1) * frameBytes));
}

/** How many luma samples differ between two yuv420p frames inside a rectangle (default: all). */
export function countLumaDifferences(
  a: Buffer,
  b: Buffer,
  width: number,
  rect: { x: number; y: number; width: number; height: number },
): number {
  let count = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) if (a[y * width + x] !== b[y * width + x]) count++;
  }
  return count;
}
