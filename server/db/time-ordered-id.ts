/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows keyed by these ids
 * are appended at the right edge of their primary-key index, so a table of millions of rows
 * takes a new one without reading a random index page from disk, as a random UUID would.
 */
import { randomBytes } from "node:crypto";

export function timeOrderedId(now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(Math.floor(now), 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
