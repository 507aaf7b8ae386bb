import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectImage, type ByteSource } from '../../../src/manifest/image-header.js';
import { loadManifest } from '../../../src/manifest/load.js';
import { makePng } from '../../helpers/images.js';
import { testdir } from '../../helpers/testdir.js';

// A PNG signature followed by garbage passed as an image (the signature was all that was looked at).
// Each accepted format's header is now read up to its dimensions; see src/manifest/image-header.ts.

const source = (bytes: Uint8Array): ByteSource => ({ size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) });
const inspect = (bytes: Uint8Array) => inspectImage(source(bytes));
const ascii = (text: string) => Buffer.from(text, 'latin1');
const le16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const le32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const be16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const garbage = (length: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 97 + 13) & 0xff));

function jpeg(options: { width?: number; height?: number; app1Bytes?: number } = {}): Buffer {
  const app0 = Buffer.concat([Buffer.from([0xff, 0xe0]), be16(16), ascii('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0])]);
  const app1 = options.app1Bytes ? Buffer.concat([Buffer.from([0xff, 0xe1]), be16(options.app1Bytes + 2), garbage(options.app1Bytes)]) : Buffer.alloc(0);
  const sof = Buffer.concat([Buffer.from([0xff, 0xc0]), be16(17), Buffer.from([8]), be16(options.height ?? 48), be16(options.width ?? 64), Buffer.from([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, app1, sof, Buffer.from([0xff, 0xda, 0, 2, 0xff, 0xd9])]);
}

function bmp(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * Math.abs(height) * 4);
  const header = Buffer.concat([ascii('BM'), le32(54 + pixels.length), le32(0), le32(54), le32(40), le32(width), le32(height >>> 0), le16(1), le16(32), le32(0), le32(pixels.length), le32(2835), le32(2835), le32(0), le32(0)]);
  return Buffer.concat([header, pixels]);
}

function webpLossless(width: number, height: number): Buffer {
  const bits = (width - 1) | ((height - 1) << 14);
  const chunk = Buffer.concat([ascii('VP8L'), le32(5), Buffer.from([0x2f]), le32(bits), Buffer.from([0])]);
  return Buffer.concat([ascii('RIFF'), le32(4 + chunk.length), ascii('WEBP'), chunk]);
}

function tiff(options: { directoryAtEnd?: boolean; width?: number } = {}): Buffer {
  const entry = (tag: number, value: number) => Buffer.concat([le16(tag), le16(3), le32(1), le16(value), le16(0)]);
  const directory = Buffer.concat([le16(2), entry(256, options.width ?? 64), entry(257, 48), le32(0)]);
  const body = garbage(options.directoryAtEnd ? 20_000 : 0);
  const offset = 8 + body.length;
  return Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0]), le32(offset), body, directory]);
}

function ico(image: Buffer): Buffer {
  const entry = Buffer.concat([Buffer.from([16, 16, 0, 0]), le16(1), le16(32), le32(image.length), le32(22)]);
  return Buffer.concat([Buffer.from([0, 0, 1, 0]), le16(1), entry, image]);
}

const gif = (tail: number[]) => Buffer.concat([ascii('GIF89a'), le16(64), le16(48), Buffer.from([0, 0, 0]), Buffer.from(tail)]);

describe('inspectImage: valid images, with their size', () => {
  it.each([
    ['png', makePng(1, { size: 8 }), 8, 8],
    ['jpeg', jpeg(), 64, 48],
    ['jpeg with a 60 KB EXIF segment before its frame header', jpeg({ app1Bytes: 60_000 }), 64, 48],
    ['gif', gif([0x2c, 0, 0, 0, 0]), 64, 48],
    ['bmp', bmp(4, 3), 4, 3],
    ['bmp, top-down', bmp(4, -3), 4, 3],
    ['webp (lossless)', webpLossless(64, 48), 64, 48],
    ['tiff', tiff(), 64, 48],
    ['tiff with its directory at the end of the file', tiff({ directoryAtEnd: true }), 64, 48],
    ['ico holding a png', ico(makePng(2, { size: 16 })), 16, 16],
    ['svg with a viewBox', ascii('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480"><rect/></svg>'), 640, 480],
    ['svg with width and height', ascii("<svg width='32px' height=\"24.5\" xmlns='http://www.w3.org/2000/svg'></svg>"), 32, 25],
  ])('%s', (_name, bytes, width, height) => {
    expect(inspect(bytes)).toMatchObject({ ok: true, width, height });
  });
});

describe('inspectImage: a signature followed by garbage is not an image', () => {
  const png = makePng(3);
  const withZeroWidth = (() => {
    const copy = Buffer.from(makePng(4));
    copy.writeUInt32BE(0, 16);
    return copy;
  })();
  it.each([
    ['png signature + garbage', Buffer.concat([png.subarray(0, 8), garbage(200)]), /no IHDR chunk follows its signature/],
    ['png with a damaged IHDR', Buffer.concat([png.subarray(0, 20), garbage(4), png.subarray(24)]), /checksum does not match/],
    ['png of width 0 (checksum right)', withZeroWidth, /IHDR chunk is damaged|impossible size/],
    ['png cut inside its header', png.subarray(0, 20), /ends inside its header/],
    ['jpeg signature + garbage', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), garbage(300)]), /./],
    ['jpeg with image data before any frame header', Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 1, 2, 3]), /no frame header \(SOF\)/],
    ['jpeg of height 0', jpeg({ height: 0 }), /impossible size \(64×0\)/],
    ['jpeg cut before its frame header', jpeg({ app1Bytes: 60_000 }).subarray(0, 40_000), /./],
    ['gif signature + garbage', Buffer.concat([ascii('GIF89a'), ascii('hello world, nothing to see')]), /no image block follows its header/],
    ['bmp with an impossible bit depth', (() => { const b = bmp(4, 3); b.writeUInt16LE(7, 28); return b; })(), /bitmap header is damaged/],
    ['webp with an unknown chunk', Buffer.concat([ascii('RIFF'), le32(20), ascii('WEBPJUNK'), garbage(16)]), /no VP8, VP8L or VP8X chunk/],
    ['tiff whose directory lies outside the file', Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0]), le32(999_999), garbage(20)]), /lies outside the file/],
    ['tiff without a width', tiff({ width: 0 }), /no width and height/],
    ['ico whose image lies outside the file', ico(makePng(5)).subarray(0, 40), /lies outside the file/],
    ['ico holding garbage', ico(garbage(64)), /neither a PNG nor a bitmap/],
    ['svg without a size', ascii('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'), /gives no size/],
    ['svg with a start tag cut short', ascii('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"'), /start tag is incomplete/],
  ])('%s', (_name, bytes, problem) => {
    const result = inspect(bytes);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.problem).toMatch(problem);
  });

  it('bytes that start like no image at all are left to the caller (not an image)', () => {
    expect(inspect(ascii('hello'))).toBeUndefined();
    expect(inspect(deflateSync(Buffer.from('x')))).toBeUndefined();
  });
});

describe('loading a manifest', () => {
  it('refuses a file with a PNG signature followed by garbage, saying what is wrong', async () => {
    const root = await testdir({
      'bach.yaml': 'version: 1\nshots:\n  - { id: a, mode: image-to-video, image: frames/a.png }\n',
      'frames/a.png': Buffer.concat([makePng(1).subarray(0, 8), garbage(500)]),
    });
    const result = await loadManifest(root, { cwd: root });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.diagnostics.map((d) => d.code)).toEqual(['image-damaged']);
      expect(result.diagnostics[0]!.message).toBe('shots[0].image: "frames/a.png" starts like a PNG image, but no IHDR chunk follows its signature');
    }
  });
});
