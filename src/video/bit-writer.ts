// An MSB-first bit writer for H.264 RBSPs: fixed-width fields u(n) and the Exp-Golomb codes ue(v) /
// se(v) of H.264 clause 9.1. It grows its buffer as needed; `finish()` returns the written bytes.

export class BitWriter {
  private bytes: Uint8Array;
  private length = 0; // whole bytes written
  private pending = 0; // bits not yet flushed, right-aligned
  private pendingCount = 0; // 0..7

  constructor(initialCapacity = 256) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** u(n): the low `count` bits of `value`, most significant first; `count` is 0..32. */
  writeBits(value: number, count: number): void {
    if (count > 24) {
      // Keep every shift below within 32-bit integer range.
      this.writeBits(Math.floor(value / 0x10000) & 0xffff, count - 16);
      this.writeBits(value & 0xffff, 16);
      return;
    }
    for (let left = count; left > 0; ) {
      const take = Math.min(8 - this.pendingCount, left);
      left -= take;
      this.pending = (this.pending << take) | ((value >>> left) & ((1 << take) - 1));
      this.pendingCount += take;
      if (this.pendingCount === 8) this.pushByte();
    }
  }

  writeBit(bit: boolean | number): void {
    this.writeBits(bit ? 1 : 0, 1);
  }

  /** ue(v), clause 9.1: `leadingZeros` zeros, then value+1 in leadingZeros+1 bits. */
  writeUe(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xfffffffe) {
      throw new RangeError(`ue(v) cannot code ${value}`);
    }
    const codeNum = value + 1;
    const bits = 32 - Math.clz32(codeNum);
    this.writeBits(0, bits - 1);
    this.writeBits(codeNum, bits);
  }

  /** se(v), clause 9.1.1: k > 0 maps to 2k-1, k <= 0 maps to -2k. */
  writeSe(value: number): void {
    this.writeUe(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** rbsp_trailing_bits(), clause 7.3.2.11: a stop bit, then zeros up to the byte boundary. */
  writeTrailingBits(): void {
    this.writeBits(1, 1);
    if (this.pendingCount > 0) this.writeBits(0, 8 - this.pendingCount);
  }

  get bitLength(): number {
    return this.length * 8 + this.pendingCount;
  }

  /** The bytes written so far; the writer must be byte-aligned. */
  finish(): Uint8Array {
    if (this.pendingCount !== 0) throw new Error('BitWriter.finish: not byte-aligned');
    return this.bytes.slice(0, this.length);
  }

  private pushByte(): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = this.pending;
    this.pending = 0;
    this.pendingCount = 0;
  }
}
