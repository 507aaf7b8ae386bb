import { crc32, deflateSync } from 'node:zlib';

// Real PNG bytes of a chosen size for the fixtures: an 8×8 RGB image whose pixels encode `seed`
// (so every image has its own content hash and uploads are not deduplicated away), padded up to
// `totalBytes` with a private ancillary chunk that decoders skip. The padding is shared between
// images of one size, so generating 300 × 8 MB costs one 8 MB buffer, not 2.4 GB of memory.

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Ancillary (b), private (p), reserved bit clear (A), safe to copy (d). */
const PADDING_TYPE = 'bpAd';
const CHUNK_OVERHEAD = 12; // length + type + CRC

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(CHUNK_OVERHEAD + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function imageChunks(seed: number): Buffer[] {
  const size = 8;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = y * (1 + size * 3) + 1 + x * 3;
      rows[at] = (seed * 37 + x) & 0xff;
      rows[at + 1] = (seed >> 8) & 0xff;
      rows[at + 2] = ((seed >> 16) * 13 + seed * 11 + y) & 0xff;
    }
  }
  return [chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows))];
}

const IEND = chunk('IEND', new Uint8Array());

/** Makes PNG files of `totalBytes` (± a few bytes of compressed pixels) for any seed, as chunks to write. */
export function createPngMaker(totalBytes: number): (seed: number) => Buffer[] {
  const bare = SIGNATURE.length + imageChunks(0).reduce((n, c) => n + c.length, 0) + IEND.length;
  const paddingData = Math.max(0, totalBytes - bare - CHUNK_OVERHEAD);
  // A repeating non-zero pattern: nothing on the way (HTTP, disk) gets to shortcut runs of zeros.
  const padding = totalBytes > bare ? chunk(PADDING_TYPE, Buffer.alloc(paddingData, 'bach-render bench padding ')) : undefined;
  return (seed) => {
    const head = imageChunks(seed);
    return padding ? [SIGNATURE, ...head, padding, IEND] : [SIGNATURE, ...head, IEND];
  };
}
