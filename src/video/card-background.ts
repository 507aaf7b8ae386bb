// The background of a result: a two-colour linear gradient whose colours and direction come from a
// hash of a key (the emulator passes the request's fingerprint), so different requests look
// different at a glance and the same request always looks the same. Colours are chosen in HSV (one
// bright, one dark, hues at least 100 degrees apart) and converted to BT.709 limited-range YCbCr,
// which is what the stream's VUI declares.

export type YCbCr = readonly [number, number, number];

/** The colour at (u, v), both 0..1 across the picture. */
export type Background = (u: number, v: number) => YCbCr;

export function createBackground(key: string): Background {
  const hash = hashText(key);
  const hue = hash % 360;
  const otherHue = (hue + 100 + ((hash >>> 9) % 160)) % 360;
  const angle = (((hash >>> 17) % 16) * Math.PI) / 8;
  const bright = hsvToRgb(hue, 0.7, 0.92);
  const dark = hsvToRgb(otherHue, 0.85, 0.42);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const span = Math.abs(cos) + Math.abs(sin);
  return (u, v) => {
    const t = 0.5 + ((u - 0.5) * cos + (v - 0.5) * sin) / span;
    return rgbToYCbCr(bright.map((channel, index) => channel + (dark[index]! - channel) * t) as [number, number, number]);
  };
}

/** FNV-1a over UTF-16 code units, then the murmur3 finaliser so that near keys scatter. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

function hsvToRgb(hue: number, saturation: number, value: number): [number, number, number] {
  const channel = (n: number) => {
    const k = (n + hue / 60) % 6;
    return value - value * saturation * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [channel(5), channel(3), channel(1)];
}

/** R'G'B' in 0..1 → 8-bit limited-range Y'CbCr with the BT.709 matrix. */
function rgbToYCbCr([r, g, b]: readonly [number, number, number]): YCbCr {
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return [Math.round(16 + 219 * y), Math.round(128 + (224 * (b - y)) / 1.8556), Math.round(128 + (224 * (r - y)) / 1.5748)];
}
