import { ALL_FORMATS, EncodedPacket, EncodedPacketSink, EncodedVideoPacketSource, FilePathSource, FilePathTarget, Input, Mp4OutputFormat, Output } from 'mediabunny';
import { adaptSample, parseAvcConfig, type AvcConfig } from './avc-parameter-sets.js';
import type { ClipInfo } from './probe-clip.js';

// Joins shots that share their codec parameters without re-encoding (mediabunny, pure TypeScript):
// each shot's frames are copied in decode order, shifted to start where the previous shot ends.
// With `inBandParameterSets` (H.264 shots whose SPS/PPS differ) the track is `avc3` and each shot's
// parameter sets are put in front of its first frame (avc-parameter-sets.ts). The moov box goes first
// (space reserved for the known number of frames), so the film plays while it downloads. Loaded only
// when a cut is made.

export interface CopyClip {
  path: string;
  info: ClipInfo;
}

export async function joinWithoutReencoding(clips: readonly CopyClip[], target: string, inBandParameterSets: boolean, signal?: AbortSignal): Promise<void> {
  const first = clips[0]!.info;
  const avc = first.codec === 'avc';
  const configs: Array<AvcConfig | null> = clips.map((clip) => (avc && clip.info.description ? parseAvcConfig(clip.info.description) : null));
  const filmLengthSize = configs[0]?.lengthSize ?? 4;
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'reserve' }), target: new FilePathTarget(target) });
  const source = new EncodedVideoPacketSource(first.codec as 'avc');
  output.addVideoTrack(source, { maximumPacketCount: clips.reduce((sum, clip) => sum + clip.info.frameCount, 0) });
  const decoderConfig = {
    codec: inBandParameterSets ? first.codecString!.replace(/^avc1/, 'avc3') : first.codecString!,
    codedWidth: first.codedWidth,
    codedHeight: first.codedHeight,
    ...(first.description ? { description: first.description } : {}),
  };
  try {
    await output.start();
    let offset = 0;
    let firstPacket = true;
    for (const [index, clip] of clips.entries()) {
      signal?.throwIfAborted();
      const config = configs[index] ?? null;
      const input = new Input({ source: new FilePathSource(clip.path), formats: ALL_FORMATS });
      try {
        const track = (await input.getPrimaryVideoTrack())!;
        let firstOfClip = true;
        for await (const packet of new EncodedPacketSink(track).packets()) {
          const data = config ? adaptSample(packet.data, config, filmLengthSize, inBandParameterSets && firstOfClip) : packet.data;
          const shifted = new EncodedPacket(data, packet.type, offset + packet.timestamp - clip.info.start, packet.duration);
          await source.add(shifted, firstPacket ? { decoderConfig } : undefined);
          firstPacket = false;
          firstOfClip = false;
        }
      } finally {
        input.dispose();
      }
      offset += clip.info.duration;
    }
    source.close();
    await output.finalize();
  } catch (error) {
    await output.cancel().catch(() => {});
    throw error;
  }
}
