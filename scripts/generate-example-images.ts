import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

// `npm run generate:examples`: writes the small PNG frames of examples/ (real PNG bytes, a few KB
// each). The pictures are simple on purpose: a sky gradient with a shape, enough to tell them apart.

type Pixel = [number, number, number];
type Painter = (x: number, y: number, width: number, height: number) => Pixel;

export function encodePng(width: number, height: number, paint: Painter): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y, width, height);
      raw.set([r, g, b], row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const sky = (top: Pixel, bottom: Pixel): Painter => (_x, y, _w, h) => {
  const t = y / (h - 1);
  return top.map((c, i) => Math.round(c + (bottom[i]! - c) * t)) as Pixel;
};
const withShape = (base: Painter, inside: (x: number, y: number, w: number, h: number) => boolean, color: Pixel): Painter =>
  (x, y, w, h) => (inside(x, y, w, h) ? color : base(x, y, w, h));
const circle = (cx: number, cy: number, r: number) => (x: number, y: number, w: number, h: number) =>
  (x - cx * w) ** 2 + (y - cy * h) ** 2 <= (r * h) ** 2;

const IMAGES: Record<string, [number, number, Painter]> = {
  'frames/hero.png': [160, 90, withShape(sky([40, 60, 120], [230, 150, 90]), circle(0.5, 0.55, 0.3), [212, 175, 55])],
  'frames/castle.png': [160, 90, withShape(sky([20, 30, 70], [120, 90, 140]), (x, y, w, h) => y > h * 0.45 && x > w * 0.3 && x < w * 0.7 && (y > h * 0.6 || x % 16 < 8), [90, 90, 100])],
  'refs/hero-front.png': [64, 96, withShape(sky([235, 235, 240], [200, 200, 210]), circle(0.5, 0.35, 0.15), [212, 175, 55])],
  'refs/hero-side.png': [64, 96, withShape(sky([235, 235, 240], [200, 200, 210]), circle(0.42, 0.35, 0.13), [190, 150, 40])],
};

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  for (const [path, [width, height, paint]] of Object.entries(IMAGES)) {
    const target = new URL(`../examples/${path}`, import.meta.url);
    mkdirSync(dirname(target.pathname), { recursive: true });
    const bytes = encodePng(width, height, paint);
    writeFileSync(target, bytes);
    process.stdout.write(`examples/${path}: ${bytes.length} bytes\n`);
  }
}
