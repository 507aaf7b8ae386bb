import { spawn } from 'node:child_process';
import { BachError } from '../errors.js';
import { createFfmpegArgs, type FfmpegCut } from './ffmpeg-args.js';

// Runs ffmpeg for a re-encoding cut: no shell, stdin closed, stderr kept (its tail explains a
// failure), killed when the cut is interrupted.

const MAX_STDERR = 64 * 1024;

export async function joinWithFfmpeg(ffmpeg: string, cut: FfmpegCut, signal?: AbortSignal): Promise<void> {
  const args = createFfmpegArgs(cut);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR);
    });
    child.on('error', (error) => {
      if ((error as Error).name === 'AbortError') reject(error);
      else reject(new BachError('cut-ffmpeg', `cut: could not run ${ffmpeg}: ${(error as Error).message}`));
    });
    child.on('close', (code, killed) => {
      if (code === 0) resolve();
      else {
        const tail = stderr.trim().split('\n').slice(-8).join('\n');
        reject(new BachError('cut-ffmpeg', `cut: ffmpeg failed (${code === null ? `signal ${killed}` : `exit ${code}`})${tail ? `:\n${tail}` : ''}`));
      }
    });
  });
}
