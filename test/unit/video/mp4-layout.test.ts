import { describe, expect, it } from 'vitest';
import { createMp4, createMp4Layout, iterateMp4Layout, parseMp4, type Mp4Layout } from '../../../src/video/index.js';
import { readU32 } from './mp4-test-utils.js';

const VIDEO = { width: 1280, height: 720, fps: 24, durationSeconds: 6, tag: 'big-download' };

function materialize(layout: Mp4Layout, chunkSize?: number): Uint8Array {
  const out = new Uint8Array(layout.totalSize);
  let offset = 0;
  for (const chunk of iterateMp4Layout(layout, chunkSize === undefined ? {} : { chunkSize })) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  expect(offset).toBe(layout.totalSize);
  return out;
}

describe('createMp4Layout', () => {
  it('pads to an exact total size with a trailing free box that still parses', () => {
    const layout = createMp4Layout({ ...VIDEO, totalSize: 3_000_000 });
    expect(layout.totalSize).toBe(3_000_000);
    expect(layout.head.length + layout.paddingBytes).toBe(3_000_000);
    const bytes = materialize(layout);
    expect(parseMp4(bytes)).toEqual(parseMp4(createMp4(VIDEO)));
    // The free box header sits at the end of the head and covers the rest of the file.
    const freeStart = layout.head.length - 8;
    expect(readU32(bytes, freeStart)).toBe(3_000_000 - freeStart);
    expect(new TextDecoder().decode(bytes.subarray(freeStart + 4, freeStart + 8))).toBe('free');
  });

  it('adds a given number of zero bytes', () => {
    const plain = createMp4(VIDEO);
    const layout = createMp4Layout({ ...VIDEO, paddingBytes: 1000 });
    expect(layout).toMatchObject({ paddingBytes: 1000, totalSize: plain.length + 8 + 1000 });
    expect(parseMp4(materialize(layout)).frameCount).toBe(144);
  });

  it('without padding is the plain file', () => {
    const layout = createMp4Layout(VIDEO);
    expect(layout.paddingBytes).toBe(0);
    expect(layout.head).toEqual(createMp4(VIDEO));
    const exact = createMp4Layout({ ...VIDEO, totalSize: layout.totalSize });
    expect(exact).toEqual(layout);
  });

  it('uses a 64-bit largesize beyond 4 GiB', () => {
    const totalSize = 5 * 2 ** 30;
    const layout = createMp4Layout({ ...VIDEO, totalSize });
    expect(layout.totalSize).toBe(totalSize);
    const headerStart = layout.head.length - 16;
    const header = layout.head.subarray(headerStart);
    const view = new DataView(header.buffer, header.byteOffset, 16);
    expect(view.getUint32(0)).toBe(1); // size 1: largesize follows
    expect(new TextDecoder().decode(header.subarray(4, 8))).toBe('free');
    expect(Number(view.getBigUint64(8))).toBe(totalSize - headerStart);
    // Everything before the padding box is the ordinary file.
    expect(parseMp4(layout.head.subarray(0, headerStart)).tag).toBe('big-download');
    // The tail of the stream can be read without walking the whole file.
    const tail = [...iterateMp4Layout(layout, { start: totalSize - 10, end: totalSize })];
    expect(tail.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(10);
  });

  it('switches to largesize exactly when the box no longer fits 32 bits', () => {
    const head = createMp4(VIDEO).length;
    expect(createMp4Layout({ ...VIDEO, totalSize: head + 0xffffffff }).head.length).toBe(head + 8);
    expect(createMp4Layout({ ...VIDEO, totalSize: head + 0x100000000 }).head.length).toBe(head + 16);
    expect(createMp4Layout({ ...VIDEO, paddingBytes: 0xffffffff - 8 }).head.length).toBe(head + 8);
    expect(createMp4Layout({ ...VIDEO, paddingBytes: 0xffffffff - 7 })).toMatchObject({ head: { length: head + 16 }, totalSize: head + 16 + 0xffffffff - 7 });
  });

  it('rejects sizes that cannot hold a free box', () => {
    const head = createMp4(VIDEO).length;
    expect(() => createMp4Layout({ ...VIDEO, totalSize: head + 7 })).toThrow(/at least/);
    expect(() => createMp4Layout({ ...VIDEO, totalSize: head - 1 })).toThrow(/at least/);
    expect(() => createMp4Layout({ ...VIDEO, totalSize: 1.5 })).toThrow(/safe integer/);
    expect(() => createMp4Layout({ ...VIDEO, paddingBytes: -1 })).toThrow(/safe integer/);
    expect(() => createMp4Layout({ ...VIDEO, paddingBytes: 1, totalSize: 1 })).toThrow(/not both/);
  });
});

describe('iterateMp4Layout', () => {
  const layout = createMp4Layout({ ...VIDEO, totalSize: 1_000_003 });

  it('yields chunks no larger than chunkSize that add up to the file', () => {
    const sizes = [...iterateMp4Layout(layout, { chunkSize: 4096 })].map((chunk) => chunk.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000_003);
    expect(materialize(layout, 4096)).toEqual(materialize(layout));
  });

  it('serves byte ranges that straddle the head and the padding', () => {
    const whole = materialize(layout);
    for (const [start, end] of [[0, 10], [layout.head.length - 5, layout.head.length + 5], [999_000, 1_000_003], [7, 7]] as const) {
      const parts = [...iterateMp4Layout(layout, { start, end, chunkSize: 3 })];
      expect(Buffer.concat(parts)).toEqual(Buffer.from(whole.subarray(start, end)));
    }
    expect(() => [...iterateMp4Layout(layout, { start: 5, end: 1_000_004 })]).toThrow(/outside/);
    expect(() => [...iterateMp4Layout(layout, { chunkSize: 0 })]).toThrow(/chunkSize/);
  });
});
