import { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } from 'mediabunny';

// What a cut must know about each shot's video before joining them: the codec and its parameters,
// the frame size, the timing (first timestamp, duration, frame count) and whether it carries audio.
// Read with mediabunny, packet metadata only (the frames themselves are not loaded). Loaded only by
// `cut` (execute-cut.ts imports this module when a cut is made).

export interface ClipInfo {
  /** mediabunny's codec name: `avc`, `hevc`, `vp9`, `av1`, … or null when unknown. */
  codec: string | null;
  /** The WebCodecs codec string, e.g. `avc1.42C01F`. */
  codecString: string | null;
  /** The decoder configuration record (`avcC` for H.264). */
  description: Uint8Array | null;
  width: number;
  height: number;
  codedWidth: number;
  codedHeight: number;
  /** Presentation time of the earliest frame, in seconds. */
  start: number;
  /** From the earliest frame to the end of the last one, in seconds. */
  duration: number;
  frameCount: number;
  /** Frames per second, from the frame count and duration. */
  fps: number;
  /** Whether the first frame in decode order is a key frame (a shot that starts elsewhere cannot be copied). */
  startsWithKeyFrame: boolean;
  audio: { codec: string | null } | null;
}

export class ClipReadError extends Error {}

export async function probeClip(path: string): Promise<ClipInfo> {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack().catch((error: unknown) => {
      throw new ClipReadError(`cannot read ${path}: ${(error as Error).message}`);
    });
    if (!track) throw new ClipReadError(`${path} has no video track`);
    const config = await track.getDecoderConfig();
    const [codec, width, height, codedWidth, codedHeight, audioTracks] = await Promise.all([
      track.getCodec(),
      track.getDisplayWidth(),
      track.getDisplayHeight(),
      track.getCodedWidth(),
      track.getCodedHeight(),
      input.getAudioTracks(),
    ]);
    let start = Infinity;
    let end = -Infinity;
    let frameCount = 0;
    let startsWithKeyFrame = false;
    for await (const packet of new EncodedPacketSink(track).packets(undefined, undefined, { metadataOnly: true })) {
      if (frameCount === 0) startsWithKeyFrame = packet.type === 'key';
      start = Math.min(start, packet.timestamp);
      end = Math.max(end, packet.timestamp + packet.duration);
      frameCount += 1;
    }
    if (frameCount === 0) throw new ClipReadError(`${path} has no video frames`);
    const audio = audioTracks[0] ? { codec: await audioTracks[0].getCodec() } : null;
    const description = config?.description ? toBytes(config.description) : null;
    return {
      codec,
      codecString: config?.codec ?? null,
      description,
      width,
      height,
      codedWidth,
      codedHeight,
      start,
      duration: end - start,
      frameCount,
      fps: frameCount / (end - start),
      startsWithKeyFrame,
      audio,
    };
  } finally {
    input.dispose();
  }
}

function toBytes(source: unknown): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  throw new ClipReadError('unexpected decoder configuration');
}
