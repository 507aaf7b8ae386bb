// The ffmpeg command line of a re-encoding cut (pure), for shots that differ in size, codec or audio.
// One filter graph: every shot is scaled to fit the film's frame (aspect ratio kept), padded with
// black to exactly that size, set to square pixels and the film's frame rate, and trimmed to its own
// duration; audio is resampled to 48 kHz stereo and padded or trimmed to the shot's duration, with
// silence for shots that have none, so sound stays in sync across shots. Then one concat, H.264
// (yuv420p, CRF 18) + AAC, moov first. Inputs are absolute paths behind `file:`, so no file name is
// ever read as an option or a protocol.

export interface FfmpegInput {
  path: string;
  duration: number;
  hasAudio: boolean;
}

export interface FfmpegCut {
  inputs: FfmpegInput[];
  width: number;
  height: number;
  fps: number;
  audio: boolean;
  /** Absolute path of the file to write (a temp file; its extension is not .mp4, hence `-f mp4`). */
  output: string;
}

export function createFfmpegArgs(cut: FfmpegCut): string[] {
  const { width: w, height: h, fps } = cut;
  const graph: string[] = [];
  const streams: string[] = [];
  cut.inputs.forEach((input, index) => {
    const seconds = input.duration.toFixed(6);
    graph.push(
      `[${index}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black,` +
        `setsar=1,fps=${fps},format=yuv420p,trim=duration=${seconds},setpts=PTS-STARTPTS[v${index}]`,
    );
    streams.push(`[v${index}]`);
    if (cut.audio) {
      graph.push(
        input.hasAudio
          ? `[${index}:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=duration=${seconds},asetpts=PTS-STARTPTS[a${index}]`
          : `anullsrc=r=48000:cl=stereo,atrim=duration=${seconds},aformat=sample_fmts=fltp[a${index}]`,
      );
      streams.push(`[a${index}]`);
    }
  });
  graph.push(`${streams.join('')}concat=n=${cut.inputs.length}:v=1:a=${cut.audio ? 1 : 0}[v]${cut.audio ? '[a]' : ''}`);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    ...cut.inputs.flatMap((input) => ['-i', `file:${input.path}`]),
    '-filter_complex', graph.join(';'),
    '-map', '[v]',
    ...(cut.audio ? ['-map', '[a]'] : []),
    '-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p',
    ...(cut.audio ? ['-c:a', 'aac', '-b:a', '192k'] : []),
    '-movflags', '+faststart',
    '-f', 'mp4', `file:${cut.output}`,
  ];
}
