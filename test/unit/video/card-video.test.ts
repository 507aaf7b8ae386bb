import { describe, expect, it } from 'vitest';
import { createBlockPicture, type BlockPicture } from '../../../src/video/block-picture.js';
import { createBackground } from '../../../src/video/card-background.js';
import { createCardLayout, drawCard, drawTimecode, PANEL_COLOUR, type VideoCard } from '../../../src/video/card-layout.js';
import { encodeCardVideo } from '../../../src/video/h264-encoder.js';
import { createFrameGeometry } from '../../../src/video/h264-params.js';
import { formatTimecode } from '../../../src/video/timecode.js';
import { copyPicture } from './picture-model.js';

// The card video without a decoder: the layout at every emulator size, and the encoder's own record
// of what the decoder holds after each frame, compared with the picture we asked for. (ffmpeg.test.ts
// checks that a real decoder holds exactly that record.)

const CARD: VideoCard = { key: 'fingerprint-1', title: 'A lighthouse keeper climbs the spiral stairs at dawn', lines: ['seed 4242 · 1280x720 (720p, 16:9)'] };

function encodeFrames(width: number, height: number, frames: readonly number[], card = CARD, frameCount = 144): Map<number, BlockPicture> {
  const kept = new Map<number, BlockPicture>();
  encodeCardVideo({ width, height, fps: 24, frameCount, card }, (index, picture) => {
    if (frames.includes(index)) kept.set(index, copyPicture(picture));
  });
  return kept;
}

/** The picture we ask for at frame `index`, drawn independently of the encoder. */
function drawTarget(width: number, height: number, index: number, card = CARD, frameCount = 144): BlockPicture {
  const geometry = createFrameGeometry(width, height);
  const layout = createCardLayout(geometry, card, formatTimecode(frameCount - 1, 24).length);
  const picture = createBlockPicture(geometry);
  drawCard(picture, layout, createBackground(card.key));
  drawTimecode(picture, layout, formatTimecode(index, 24), null);
  return picture;
}

function largestDifference(a: Uint8Array, b: Uint8Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs((a[i] as number) - (b[i] as number)));
  return largest;
}

describe('card layout', () => {
  it.each([
    [1280, 720, 4, 8, 2], [720, 1280, 4, 8, 3], [720, 720, 4, 8, 2],
    [1920, 1080, 8, 12, 2], [1080, 1920, 8, 12, 3], [1080, 1080, 8, 12, 2],
  ])('%ix%i: small text at %i px per font pixel, the title at %i, up to %i title lines', (width, height, small, large, titleLines) => {
    const long: VideoCard = { ...CARD, title: 'word '.repeat(100) };
    const layout = createCardLayout(createFrameGeometry(width, height), long, 11);
    const titles = layout.lines.filter((line) => line.scale === large);
    expect(titles).toHaveLength(titleLines);
    expect(titles.at(-1)!.text.endsWith('\u2026')).toBe(true);
    expect(layout.lines.filter((line) => line.scale === small).map((line) => line.text).join(' ')).toContain('seed 4242');
    expect(layout.timecode).toMatchObject({ scale: small });
    expect(layout.panelHeight % 16).toBe(0);
    expect(layout.panelHeight).toBeLessThan(height / 2);
    for (const line of [...layout.lines, layout.timecode!]) {
      expect(line.x % 4).toBe(0);
      expect(line.y % 4).toBe(0);
    }
  });

  it('leaves out what does not fit a tiny frame', () => {
    expect(createCardLayout(createFrameGeometry(2, 2), CARD, 11)).toEqual({ panelHeight: 0, lines: [], timecode: null });
    const small = createCardLayout(createFrameGeometry(64, 48), CARD, 11);
    expect(small.timecode).toBeNull();
    for (const line of small.lines) expect(line.y + 9 * line.scale).toBeLessThanOrEqual(48);
  });
});

describe('the card encoder', () => {
  it.each([[1280, 720], [1080, 1920], [1080, 1080]])('%ix%i: what the decoder holds is the asked-for picture, within a rounding step', (width, height) => {
    const frames = [0, 1, 12, 23, 24, 100, 143];
    const held = encodeFrames(width, height, frames);
    for (const index of frames) {
      const target = drawTarget(width, height, index);
      const picture = held.get(index)!;
      expect(largestDifference(picture.luma, target.luma), `frame ${index} luma`).toBeLessThanOrEqual(2);
      expect(largestDifference(picture.cb, target.cb), `frame ${index} Cb`).toBeLessThanOrEqual(1);
      expect(largestDifference(picture.cr, target.cr), `frame ${index} Cr`).toBeLessThanOrEqual(1);
    }
  });

  it('changes only blocks under the timecode from frame to frame', () => {
    const [width, height] = [1280, 720];
    const held = encodeFrames(width, height, [0, 1, 30]);
    const layout = createCardLayout(createFrameGeometry(width, height), CARD, 11);
    const { x, y, scale } = layout.timecode!;
    const stride = held.get(0)!.stride;
    for (const later of [1, 30]) {
      let changed = 0;
      held.get(0)!.luma.forEach((value, index) => {
        if (held.get(later)!.luma[index] === value) return;
        changed++;
        const [bx, by] = [(index % stride) * 4, Math.floor(index / stride) * 4];
        expect(bx >= x && bx < x + 11 * 6 * scale && by >= y && by < y + 9 * scale, `block at ${bx},${by}`).toBe(true);
      });
      expect(changed, `frame ${later}`).toBeGreaterThan(0);
      expect(held.get(later)!.cb).toEqual(held.get(0)!.cb);
    }
  });

  it('draws the text light on the dark panel', () => {
    const picture = encodeFrames(1280, 720, [0]).get(0)!;
    const layout = createCardLayout(createFrameGeometry(1280, 720), CARD, 11);
    const panelBlocks = picture.luma.subarray(0, (layout.panelHeight / 4) * picture.stride);
    const light = panelBlocks.filter((value) => value > 170).length;
    expect(light).toBeGreaterThan(500);
    expect(panelBlocks.filter((value) => Math.abs(value - PANEL_COLOUR[0]) <= 2).length).toBeGreaterThan(panelBlocks.length / 2);
  });

  it('gives another card other text and other colours, and the same card the same stream', () => {
    const other: VideoCard = { key: 'fingerprint-2', title: 'Something else', lines: ['seed 7'] };
    const a = encodeFrames(1280, 720, [0], CARD, 24).get(0)!;
    const b = encodeFrames(1280, 720, [0], other, 24).get(0)!;
    expect(largestDifference(a.luma, b.luma)).toBeGreaterThan(100);
    expect(largestDifference(a.cb, b.cb)).toBeGreaterThan(20);
    const options = { width: 640, height: 360, fps: 24, frameCount: 24, card: CARD };
    expect(encodeCardVideo(options).frames).toEqual(encodeCardVideo(options).frames);
  });

  it('encodes tiny pictures and long clips (frame_num wraps, the timecode reaches hours)', () => {
    for (const [width, height] of [[2, 2], [16, 16], [64, 48]] as const) {
      expect(encodeCardVideo({ width, height, fps: 24, frameCount: 30, card: CARD }).frames).toHaveLength(30);
    }
    const long = encodeCardVideo({ width: 320, height: 240, fps: 1, frameCount: 3700, card: CARD });
    expect(long.frames).toHaveLength(3700);
  });
});
