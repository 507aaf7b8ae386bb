// The sample table of a track (ISO/IEC 14496-12 clause 8.6-8.7): how many samples, how long each
// lasts (stts), how large each is (stsz) and where each lies (stsc maps samples to chunks, stco/co64
// gives chunk offsets). Every sample must lie inside the file, which catches truncated downloads.

import { findBox, Mp4FormatError, PayloadReader, readChildren, requireBox, type Box } from './mp4-box-reader.js';

export interface SampleTable {
  sampleCount: number;
  /** Sum of all sample durations, in media timescale ticks. */
  totalDuration: number;
  /** The sample duration most samples have: the frame period. */
  typicalDelta: number;
  /** Where each sample lies in the file. */
  offsets: number[];
  sizes: number[];
}

export function readSampleTable(bytes: Uint8Array, stbl: Box): SampleTable {
  const children = readChildren(bytes, stbl);
  const timing = readTimeToSample(bytes, requireBox(children, 'stts', stbl.path));
  const sizes = readSampleSizes(bytes, requireBox(children, 'stsz', stbl.path));
  if (sizes.length !== timing.sampleCount) {
    throw new Mp4FormatError(`'stsz' lists ${sizes.length} samples but 'stts' times ${timing.sampleCount}`);
  }
  const chunkBox = findBox(children, 'stco') ?? findBox(children, 'co64');
  if (!chunkBox) throw new Mp4FormatError(`'${stbl.path}' has neither 'stco' nor 'co64'`);
  const chunkOffsets = readChunkOffsets(bytes, chunkBox);
  const offsets = locateSamples(bytes, requireBox(children, 'stsc', stbl.path), chunkOffsets, sizes);
  offsets.forEach((offset, index) => {
    const end = offset + (sizes[index] as number);
    if (end > bytes.length) {
      throw new Mp4FormatError(`sample ${index + 1} ends at byte ${end}, past the end of the ${bytes.length}-byte file (truncated?)`);
    }
  });
  return { ...timing, offsets, sizes };
}

function readTimeToSample(bytes: Uint8Array, stts: Box): { sampleCount: number; totalDuration: number; typicalDelta: number } {
  const r = new PayloadReader(bytes, stts);
  r.fullBoxHeader();
  const entries = r.entryCount(8);
  let sampleCount = 0;
  let totalDuration = 0;
  let typicalDelta = 0;
  let typicalCount = 0;
  for (let i = 0; i < entries; i++) {
    const count = r.u32();
    const delta = r.u32();
    sampleCount += count;
    totalDuration += count * delta;
    if (count > typicalCount) [typicalCount, typicalDelta] = [count, delta];
  }
  return { sampleCount, totalDuration, typicalDelta };
}

function readSampleSizes(bytes: Uint8Array, stsz: Box): number[] {
  const r = new PayloadReader(bytes, stsz);
  r.fullBoxHeader();
  const uniformSize = r.u32();
  if (uniformSize !== 0) {
    const count = r.u32();
    if (count * uniformSize > bytes.length) throw new Mp4FormatError(`'${stsz.path}' lists more sample bytes than the file holds`);
    return new Array<number>(count).fill(uniformSize);
  }
  const count = r.entryCount(4);
  const sizes = new Array<number>(count);
  for (let i = 0; i < count; i++) sizes[i] = r.u32();
  return sizes;
}

function readChunkOffsets(bytes: Uint8Array, box: Box): number[] {
  const r = new PayloadReader(bytes, box);
  r.fullBoxHeader();
  const count = r.entryCount(box.type === 'co64' ? 8 : 4);
  const offsets = new Array<number>(count);
  for (let i = 0; i < count; i++) offsets[i] = box.type === 'co64' ? r.u64() : r.u32();
  return offsets;
}

/** Each sample's file offset: chunks hold runs of consecutive samples, as stsc says (clause 8.7.4). */
function locateSamples(bytes: Uint8Array, stsc: Box, chunkOffsets: readonly number[], sizes: readonly number[]): number[] {
  const r = new PayloadReader(bytes, stsc);
  r.fullBoxHeader();
  const runs = Array.from({ length: r.entryCount(12) }, () => {
    const firstChunk = r.u32();
    const samplesPerChunk = r.u32();
    r.u32(); // sample_description_index
    return { firstChunk, samplesPerChunk };
  });
  const offsets: number[] = [];
  for (let run = 0; run < runs.length; run++) {
    const { firstChunk, samplesPerChunk } = runs[run] as (typeof runs)[number];
    const nextFirstChunk = runs[run + 1]?.firstChunk ?? chunkOffsets.length + 1;
    if (firstChunk < 1 || nextFirstChunk <= firstChunk) throw new Mp4FormatError(`'${stsc.path}' has chunk runs out of order`);
    for (let chunk = firstChunk; chunk < nextFirstChunk && offsets.length < sizes.length; chunk++) {
      let offset = chunkOffsets[chunk - 1];
      if (offset === undefined) throw new Mp4FormatError(`'${stsc.path}' refers to chunk ${chunk}, which has no offset`);
      for (let i = 0; i < samplesPerChunk && offsets.length < sizes.length; i++) {
        offsets.push(offset);
        offset += sizes[offsets.length - 1] as number;
      }
    }
  }
  if (offsets.length !== sizes.length) {
    throw new Mp4FormatError(`the chunks in '${stsc.path}' hold ${offsets.length} samples but 'stsz' lists ${sizes.length}`);
  }
  return offsets;
}
