// The per-result metadata box: a top-level `uuid` box (14496-12 clause 4.2, user-defined extended
// type) after mdat, holding the tag as UTF-8. Players ignore unknown uuid boxes and it shifts no
// offset in the moov, so files that differ only in their tag decode identically and share the
// cached encoded bytes in front of it.

import { createBox } from './mp4-boxes.js';

/** Our extended type, 363cd513-8565-4620-a75b-08922c2dfdfa: bach-render's "result tag". */
export const TAG_BOX_UUID = Uint8Array.from(
  '363cd51385654620a75b08922c2dfdfa'.match(/../g) ?? [],
  (hex) => Number.parseInt(hex, 16),
);

export function createTagBox(tag: string): Uint8Array {
  return createBox('uuid', TAG_BOX_UUID, new TextEncoder().encode(tag));
}

/** The tag carried by a `uuid` box payload (extended type first), or undefined if it is not ours. */
export function readTagBoxPayload(payload: Uint8Array): string | undefined {
  if (payload.length < 16 || !TAG_BOX_UUID.every((byte, index) => payload[index] === byte)) return undefined;
  return new TextDecoder().decode(payload.subarray(16));
}
