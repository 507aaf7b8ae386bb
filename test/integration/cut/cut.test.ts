import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { parseAvcConfig, splitNalUnits } from '../../../src/cut/avc-parameter-sets.js';
import { cutAfterBuild, executeCut, type CutOutcome, type CutProject } from '../../../src/cut/execute-cut.js';
import type { Shot } from '../../../src/manifest/types.js';
import { sha256Hex } from '../../../src/util/hash.js';
import { createMp4, parseMp4 } from '../../../src/video/index.js';
import { makeShot } from '../../helpers/builders.js';
import { createTestPlanJson } from '../../helpers/review.js';
import { testdir } from '../../helpers/testdir.js';
import { requireTool } from '../../helpers/tools.js';

// `cut` on real files: the film is parsed back (duration = sum of the shots, frames, size, order —
// the order from where each shot's key frame and parameter sets land), the timeline is checked
// against the OTIO schema, and a second cut with nothing new does nothing.

const ffmpeg = requireTool('ffmpeg', 'ffmpeg');
const otioSchema = JSON.parse(readFileSync(new URL('../../unit/cut/otio.schema.json', import.meta.url), 'utf8'));
const validateOtio = new Ajv2020({ strict: true }).compile(otioSchema);

interface Clip {
  id: string;
  bytes: Uint8Array;
}

async function projectOf(clips: Clip[], options: { missing?: string[]; name?: string } = {}): Promise<CutProject> {
  const root = await testdir({ 'bach.yaml': 'version: 1\nshots: []\n', 'renders/.keep': '' });
  const shots: Shot[] = clips.map((clip, index) => makeShot({ id: clip.id, seed: index + 1 }));
  const videos: Record<string, { size: number; sha256: string } | null> = {};
  for (const clip of clips) {
    if (options.missing?.includes(clip.id)) {
      videos[clip.id] = null;
      continue;
    }
    const path = join(root, 'renders', `${clip.id}.mp4`);
    writeFileSync(path, clip.bytes, { flag: 'w' });
    videos[clip.id] = { size: clip.bytes.length, sha256: sha256Hex(clip.bytes) };
  }
  return { root, output: 'renders', name: options.name ?? 'The Film', planJson: createTestPlanJson(shots, { missing: options.missing ?? [] }), videos };
}

function mp4(width: number, height: number, fps: number, seconds: number): Uint8Array {
  return createMp4({ width, height, fps, durationSeconds: seconds });
}

async function packetsOf(path: string) {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    const track = (await input.getPrimaryVideoTrack())!;
    const config = parseAvcConfig(new Uint8Array((await track.getDecoderConfig())!.description as ArrayBuffer));
    const packets = [];
    for await (const packet of new EncodedPacketSink(track).packets()) packets.push({ key: packet.type === 'key', timestamp: packet.timestamp, units: splitNalUnits(packet.data, config.lengthSize) });
    return { codec: (await track.getDecoderConfig())!.codec, audio: (await input.getAudioTracks()).length, packets };
  } finally {
    input.dispose();
  }
}

async function avcConfigOf(path: string) {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    const config = await (await input.getPrimaryVideoTrack())!.getDecoderConfig();
    return parseAvcConfig(new Uint8Array(config!.description as ArrayBuffer));
  } finally {
    input.dispose();
  }
}

function expectCut(outcome: CutOutcome): Extract<CutOutcome, { kind: 'cut' }> {
  expect(outcome.kind).toBe('cut');
  return outcome as Extract<CutOutcome, { kind: 'cut' }>;
}

describe('cut', () => {
  it('joins shots that share their parameters without re-encoding, in order, and writes a valid timeline', async () => {
    const project = await projectOf([
      { id: 'one', bytes: mp4(160, 90, 24, 1) },
      { id: 'two', bytes: mp4(160, 90, 24, 2) },
      { id: 'three', bytes: mp4(160, 90, 24, 1) },
    ]);
    const outcome = expectCut(await executeCut(project, { env: {} }));
    expect(outcome).toMatchObject({ film: 'renders/The Film.mp4', otio: 'renders/The Film.otio', method: 'copy', clips: ['one', 'two', 'three'], frames: 96, width: 160, height: 90 });
    const film = join(project.root, outcome.film);
    const info = parseMp4(readFileSync(film));
    expect({ seconds: info.durationSeconds, frames: info.frameCount, width: info.width, height: info.height }).toEqual({ seconds: 4, frames: 96, width: 160, height: 90 });
    const { packets, codec } = await packetsOf(film);
    expect(codec.startsWith('avc1')).toBe(true);
    // Each shot starts with its key frame: at frames 0, 24 and 72 (1 s, 2 s, 1 s at 24 fps).
    expect(packets.flatMap((packet, index) => (packet.key ? [index] : []))).toEqual([0, 24, 72]);
    expect(packets[24]!.timestamp).toBeCloseTo(1, 6);
    const timeline = JSON.parse(readFileSync(join(project.root, outcome.otio), 'utf8'));
    expect(validateOtio(timeline), JSON.stringify(validateOtio.errors)).toBe(true);
    const clips = timeline.tracks.children[0].children;
    expect(clips.map((clip: { name: string; source_range: { duration: { value: number } } }) => [clip.name, clip.source_range.duration.value])).toEqual([['one', 24], ['two', 48], ['three', 24]]);
    expect(clips[1].media_references.DEFAULT_MEDIA.target_url).toBe(`file://${join(project.root, 'renders/two.mp4')}`);
    expect(clips[1].metadata.bach_render).toMatchObject({ id: 'two', seed: 2, prompt: 'prompt of two' });
  });

  it('carries each shot\'s parameter sets in-band when they differ (avc3), so players switch at the cut', async () => {
    const project = await projectOf([
      { id: 'a', bytes: mp4(160, 90, 24, 1) },
      { id: 'b', bytes: mp4(160, 90, 30, 2) },
    ]);
    const outcome = expectCut(await executeCut(project, { env: {} }));
    expect(outcome).toMatchObject({ method: 'copy-in-band', frames: 84 });
    const film = join(project.root, outcome.film);
    expect(parseMp4(readFileSync(film)).durationSeconds).toBeCloseTo(3, 3);
    const { packets, codec } = await packetsOf(film);
    expect(codec.startsWith('avc3')).toBe(true);
    const a = await avcConfigOf(join(project.root, 'renders/a.mp4'));
    const b = await avcConfigOf(join(project.root, 'renders/b.mp4'));
    expect(a.sps[0]).not.toEqual(b.sps[0]);
    // Shot a's parameter sets at frame 0, shot b's at frame 24 (where b starts), nowhere else.
    expect(packets[0]!.units.slice(0, 2)).toEqual([a.sps[0], a.pps[0]]);
    expect(packets[24]!.units.slice(0, 2)).toEqual([b.sps[0], b.pps[0]]);
    expect(packets.flatMap((packet, index) => (packet.units.some((unit) => (unit[0]! & 0x1f) === 7) ? [index] : []))).toEqual([0, 24]);
    expect(packets[24]!.timestamp).toBeCloseTo(1, 6);
  });

  it('does nothing when no shot changed; cuts again when one did or the film is gone', async () => {
    const project = await projectOf([{ id: 'a', bytes: mp4(160, 90, 24, 1) }, { id: 'b', bytes: mp4(160, 90, 24, 1) }]);
    expectCut(await executeCut(project, { env: {} }));
    const film = join(project.root, 'renders/The Film.mp4');
    const stamp = statSync(film).mtimeMs;
    expect(await executeCut(project, { env: {} })).toEqual({ kind: 'up-to-date', film: 'renders/The Film.mp4', otio: 'renders/The Film.otio', clips: ['a', 'b'] });
    expect(statSync(film).mtimeMs).toBe(stamp);
    const longer = mp4(160, 90, 24, 2);
    writeFileSync(join(project.root, 'renders/b.mp4'), longer);
    const changed = { ...project, videos: { ...project.videos, b: { size: longer.length, sha256: sha256Hex(longer) } } };
    expect(expectCut(await executeCut(changed, { env: {} })).frames).toBe(72);
    expect((await executeCut(changed, { env: {} })).kind).toBe('up-to-date');
    rmSync(film);
    expect((await executeCut(changed, { env: {} })).kind).toBe('cut');
    expect((await executeCut(changed, { env: {}, force: true })).kind).toBe('cut');
  });

  it('refuses while a shot is missing; with allowStale cuts what exists and names what is left out', async () => {
    const project = await projectOf([{ id: 'a', bytes: mp4(160, 90, 24, 1) }, { id: 'b', bytes: mp4(160, 90, 24, 1) }, { id: 'c', bytes: mp4(160, 90, 24, 2) }], { missing: ['b'] });
    const refused = await executeCut(project, { env: {} });
    expect(refused.kind === 'refused' && refused.missing.map((shot) => shot.id)).toEqual(['b']);
    const outcome = expectCut(await executeCut(project, { env: {}, allowStale: true }));
    expect(outcome.clips).toEqual(['a', 'c']);
    expect(outcome.leftOut.map((shot) => shot.id)).toEqual(['b']);
    expect(parseMp4(readFileSync(join(project.root, outcome.film))).durationSeconds).toBe(3);
  });

  it('cuts after a build only when the manifest asks for it (cut: true), never leaving shots out', async () => {
    const project = await projectOf([{ id: 'a', bytes: mp4(160, 90, 24, 1) }, { id: 'b', bytes: mp4(160, 90, 24, 1) }]);
    expect(await cutAfterBuild({ ...project, cut: false }, { env: {} })).toBeNull();
    expect((await cutAfterBuild({ ...project, cut: true }, { env: {} }))?.kind).toBe('cut');
    expect((await cutAfterBuild({ ...project, cut: true }, { env: {} }))?.kind).toBe('up-to-date');
    const missing = await projectOf([{ id: 'a', bytes: mp4(160, 90, 24, 1) }, { id: 'b', bytes: mp4(160, 90, 24, 1) }], { missing: ['b'] });
    expect((await cutAfterBuild({ ...missing, cut: true }, { env: {} }))?.kind).toBe('refused');
  });

  it('says what differs and what to install when shots need re-encoding and ffmpeg is not on the PATH', async () => {
    const project = await projectOf([{ id: 'wide', bytes: mp4(160, 90, 24, 1) }, { id: 'tall', bytes: mp4(90, 160, 24, 1) }]);
    await expect(executeCut(project, { env: { PATH: '' } })).rejects.toThrow(/frame sizes differ: wide 160×90; tall 90×160/);
    await expect(executeCut(project, { env: { PATH: '' } })).rejects.toMatchObject({ code: 'cut-needs-ffmpeg', hint: expect.stringContaining('apt-get install ffmpeg') });
  });

  describe.skipIf(ffmpeg.skip)(`with ffmpeg${ffmpeg.note}`, () => {
    it('re-encodes shots of different sizes to one frame size (scaled and padded), in order', async () => {
      const project = await projectOf([
        { id: 'wide', bytes: mp4(160, 90, 24, 2) },
        { id: 'tall', bytes: mp4(90, 160, 24, 1) },
        { id: 'wide2', bytes: mp4(160, 90, 24, 1) },
      ]);
      const outcome = expectCut(await executeCut(project, { env: process.env }));
      expect(outcome).toMatchObject({ method: 're-encode', width: 160, height: 90, frames: 96, differences: ['frame sizes differ: wide, wide2 160×90; tall 90×160'] });
      const info = parseMp4(readFileSync(join(project.root, outcome.film)));
      expect({ width: info.width, height: info.height, frames: info.frameCount, seconds: info.durationSeconds }).toEqual({ width: 160, height: 90, frames: 96, seconds: 4 });
      // Every frame decodes, and the film never changes size mid-way.
      const probe = spawnSync(ffmpeg.path!, ['-hide_banner', '-v', 'info', '-i', join(project.root, outcome.film), '-vf', 'showinfo', '-f', 'null', '-'], { encoding: 'utf8' });
      const frames = [...probe.stderr.matchAll(/ s:(\d+x\d+) /g)].map((m) => m[1]);
      expect(frames).toHaveLength(96);
      expect(new Set(frames)).toEqual(new Set(['160x90']));
    });

    it('re-encodes shots with AAC audio, keeping the sound in sync (silence where a shot has none)', async () => {
      const root = await testdir({});
      const voiced = join(root, 'voiced.mp4');
      const made = spawnSync(ffmpeg.path!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=24:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', voiced]);
      expect(made.status).toBe(0);
      const project = await projectOf([{ id: 'silent', bytes: mp4(160, 90, 24, 1) }, { id: 'voiced', bytes: readFileSync(voiced) }]);
      const outcome = expectCut(await executeCut(project, { env: process.env }));
      expect(outcome.method).toBe('re-encode');
      expect(outcome.differences).toContain('voiced carries audio (aac), which is joined only by re-encoding');
      expect((await packetsOf(join(project.root, outcome.film))).audio).toBe(1);
      expect(outcome.seconds).toBeCloseTo(2, 1);
    });
  });
});
