// What a result shows: a dark panel across the top with the request's text (the prompt's start in
// large letters, then smaller detail lines such as seed and size) and a running timecode, over a
// background gradient chosen by the card's key. The layout is computed once per video; only the
// timecode is redrawn per frame, and drawing it reports which macroblocks changed, so a P picture
// codes those and skips the rest.
//
// Scales [decided]: font pixels of 4 px per 720 px of the short side for the small text (4 at 720p,
// 8 at 1080p) and 4 px per 360 px for the title (8 and 12), always whole multiples of 4 so that text
// stays made of whole 4x4 blocks. Title lines: 3 in portrait, else 2. Anything that
// does not fit the frame is left out (a 64x64 video shows only what fits).

import { GLYPH_HEIGHT, GLYPH_WIDTH } from './bitmap-font.js';
import { drawGlyph, fillLuma, type BlockPicture } from './block-picture.js';
import type { Background } from './card-background.js';
import { toDrawableChars, wrapChars } from './card-text.js';
import type { FrameGeometry } from './h264-params.js';

export interface VideoCard {
  /** Chooses the background: the same key, the same colours (e.g. a hash of the request). */
  key: string;
  /** Large text: a prompt, cut to what fits. Any Unicode; what the font lacks is drawn as a box. */
  title: string;
  /** Small lines under the title (seed, size…), wrapped to at most two lines each. */
  lines?: readonly string[];
}

export interface TextPlacement {
  x: number;
  y: number;
  /** Pixels per font pixel: a multiple of 4. */
  scale: number;
  luma: number;
}

export interface CardLayout {
  /** Rows 0..panelHeight (a multiple of 16) are the text panel. */
  panelHeight: number;
  lines: (TextPlacement & { text: string })[];
  timecode: TextPlacement | null;
}

export const PANEL_COLOUR = [24, 128, 128] as const;
const TITLE_LUMA = 235;
const DETAIL_LUMA = 180;
const TIMECODE_LUMA = 235;
const CELL_WIDTH = GLYPH_WIDTH + 1;
const LINE_PITCH = GLYPH_HEIGHT + 1;

export function createCardLayout(geometry: FrameGeometry, card: VideoCard, timecodeLength: number): CardLayout {
  const { width, height } = geometry;
  const shortSide = Math.min(width, height);
  const small = 4 * Math.max(1, Math.round(shortSide / 720));
  const large = 4 * Math.max(1, Math.round(shortSide / 360));
  const pad = 2 * small;
  const columns = (scale: number) => Math.floor((width - 2 * pad + scale) / (CELL_WIDTH * scale));
  const lines: CardLayout['lines'] = [];
  let y = pad;
  let bottom = 0;
  const fits = (scale: number, chars: number) => y + GLYPH_HEIGHT * scale <= height && pad + (chars * CELL_WIDTH - 1) * scale <= width;
  const place = (texts: readonly string[], scale: number, luma: number) => {
    for (const text of texts) {
      if (!fits(scale, Array.from(text).length)) return;
      lines.push({ x: pad, y, scale, luma, text });
      bottom = y + GLYPH_HEIGHT * scale;
      y += LINE_PITCH * scale;
    }
  };

  place(wrapChars(toDrawableChars(card.title), columns(large), height > width ? 3 : 2), large, TITLE_LUMA);
  for (const line of card.lines ?? []) place(wrapChars(toDrawableChars(line), columns(small), 2), small, DETAIL_LUMA);
  let timecode: TextPlacement | null = null;
  if (fits(small, timecodeLength)) {
    timecode = { x: pad, y, scale: small, luma: TIMECODE_LUMA };
    bottom = y + GLYPH_HEIGHT * small;
  }
  const panelHeight = bottom === 0 ? 0 : Math.min(geometry.heightMbs * 16, Math.ceil((bottom + pad) / 16) * 16);
  return { panelHeight, lines, timecode };
}

/** Background, panel and the fixed text (everything but the timecode). */
export function drawCard(picture: BlockPicture, layout: CardLayout, background: Background): void {
  const { widthMbs, heightMbs } = picture.geometry;
  for (let my = 0; my < heightMbs; my++) {
    for (let mx = 0; mx < widthMbs; mx++) {
      const [y, cb, cr] = my * 16 < layout.panelHeight ? PANEL_COLOUR : background((mx + 0.5) / widthMbs, (my + 0.5) / heightMbs);
      fillLuma(picture, { x: mx * 16, y: my * 16, width: 16, height: 16 }, y);
      picture.cb[my * widthMbs + mx] = cb;
      picture.cr[my * widthMbs + mx] = cr;
    }
  }
  for (const line of layout.lines) drawText(picture, line, line.text, null);
}

/**
 * Draws the timecode over the previous one, character by character (only those that differ), and
 * returns the addresses of the macroblocks it touched, ascending.
 */
export function drawTimecode(picture: BlockPicture, layout: CardLayout, text: string, previous: string | null): number[] {
  if (!layout.timecode) return [];
  const touched = new Set<number>();
  drawText(picture, layout.timecode, text, previous, (mbAddr) => touched.add(mbAddr));
  return [...touched].sort((a, b) => a - b);
}

function drawText(picture: BlockPicture, at: TextPlacement, text: string, previous: string | null, touch?: (mbAddr: number) => void): void {
  const before = previous === null ? null : Array.from(previous);
  const { width } = picture.geometry;
  Array.from(text).forEach((char, index) => {
    if (before && before[index] === char) return;
    const x = at.x + index * CELL_WIDTH * at.scale;
    if (x + GLYPH_WIDTH * at.scale > width) return;
    drawGlyph(picture, char, { x, y: at.y, scale: at.scale }, { foreground: at.luma, background: PANEL_COLOUR[0] }, touch);
  });
}
