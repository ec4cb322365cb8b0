// Client-generated identifiers. DESIGN.md: every entity and every mutation carries a UUIDv7
// (RFC 9562), so ids made offline on many desks never collide and sort by creation time.
import { randomBytes } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/**
 * A UUIDv7 whose 12-bit rand_a field is a counter (RFC 9562 §6.2, method 1): ids made within one
 * millisecond, or after the clock stepped back, still sort in the order they were made.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  let ms = Math.floor(nowMs);
  if (ms > lastMs) {
    // A fresh millisecond: start the counter low enough that it rarely overflows.
    counter = ((bytes[6]! << 8) | bytes[7]!) & 0x3ff;
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = 0;
    }
  }
  lastMs = ms;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
