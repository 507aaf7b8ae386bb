import { describe, expect, it } from 'vitest';
import { createFfmpegArgs } from '../../../src/cut/ffmpeg-args.js';

// The re-encoding cut's command line: every input behind `file:`, one filter graph that fits each
// shot into the film's frame (scale + pad), one concat; audio only when a shot has some.

describe('createFfmpegArgs', () => {
  it('scales, pads and concatenates video-only shots', () => {
    const args = createFfmpegArgs({
      inputs: [{ path: '/p/-a.mp4', duration: 2, hasAudio: false }, { path: '/p/b c.mp4', duration: 1.5, hasAudio: false }],
      width: 1280, height: 720, fps: 24, audio: false, output: '/p/.film.mp4.abc.tmp',
    });
    expect(args.filter((_, i) => args[i - 1] === '-i')).toEqual(['file:/p/-a.mp4', 'file:/p/b c.mp4']);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph.split(';')).toEqual([
      '[0:v:0]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=24,format=yuv420p,trim=duration=2.000000,setpts=PTS-STARTPTS[v0]',
      '[1:v:0]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=24,format=yuv420p,trim=duration=1.500000,setpts=PTS-STARTPTS[v1]',
      '[v0][v1]concat=n=2:v=1:a=0[v]',
    ]);
    expect(args).not.toContain('[a]');
    expect(args.slice(-3)).toEqual(['-f', 'mp4', 'file:/p/.film.mp4.abc.tmp']);
  });

  it('keeps sound in sync: each shot\'s audio fitted to its duration, silence for a shot without', () => {
    const args = createFfmpegArgs({
      inputs: [{ path: '/a.mp4', duration: 2, hasAudio: true }, { path: '/b.mp4', duration: 3, hasAudio: false }],
      width: 640, height: 360, fps: 30, audio: true, output: '/o.tmp',
    });
    const graph = args[args.indexOf('-filter_complex') + 1]!.split(';');
    expect(graph[1]).toBe('[0:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=duration=2.000000,asetpts=PTS-STARTPTS[a0]');
    expect(graph[3]).toBe('anullsrc=r=48000:cl=stereo,atrim=duration=3.000000,aformat=sample_fmts=fltp[a1]');
    expect(graph[4]).toBe('[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]');
    expect(args.join(' ')).toContain('-map [v] -map [a]');
    expect(args.join(' ')).toContain('-c:a aac');
  });
});
