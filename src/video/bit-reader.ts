// An MSB-first bit reader over an RBSP (emulation prevention already removed, see nal.ts), with the
// Exp-Golomb codes of H.264 clause 9.1. Reading past the end throws, so a truncated SPS is an error
// rather than a run of invented zero bits.

export class BitReader {
  private position = 0; // in bits

  constructor(private readonly bytes: Uint8Array) {}

  /** u(n) for n in 0..32. */
  readBits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.readBit();
    return value;
  }

  readBit(): number {
    const byte = this.bytes[this.position >>> 3];
    if (byte === undefined) throw new RangeError(`read past the end of ${this.bytes.length} bytes`);
    const bit = (byte >>> (7 - (this.position & 7))) & 1;
    this.position++;
    return bit;
  }

  readFlag(): boolean {
    return this.readBit() === 1;
  }

  /** ue(v), clause 9.1. More than 31 leading zeros cannot occur in a conforming stream. */
  readUe(): number {
    let leadingZeros = 0;
    while (this.readBit() === 0) {
      if (++leadingZeros > 31) throw new RangeError('Exp-Golomb code longer than 32 bits');
    }
    return 2 ** leadingZeros - 1 + this.readBits(leadingZeros);
  }

  /** se(v), clause 9.1.1. */
  readSe(): number {
    const codeNum = this.readUe();
    return codeNum % 2 === 1 ? (codeNum + 1) / 2 : codeNum === 0 ? 0 : -codeNum / 2;
  }

  get bitPosition(): number {
    return this.position;
  }
}
