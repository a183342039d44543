/** How spans are keyed in the store (see the Span model in prisma/schema.prisma). */

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 52-bit hash of a hex id, exact as a JavaScript number: the indexed key of a span. Every bit
 * of the id counts, since real ids are not always random at the top (64-bit B3/Jaeger trace ids
 * arrive zero-padded to 128 bits, test generators count up from 1).
 */
export function idKey(hexId: string): number {
  let h1 = 0x9e3779b9;
  let h2 = 0x7f4a7c15;
  for (let i = 0; i < hexId.length; i += 8) {
    const w = parseInt(hexId.slice(i, i + 8), 16);
    h1 = Math.imul(((h1 ^ w) << 15) | ((h1 ^ w) >>> 17), 0xcc9e2d51);
    h2 = Math.imul(((h2 + w) << 13) | ((h2 + w) >>> 19), 0x1b873593) + 0xe6546b64;
  }
  return (fmix32(h1 ^ hexId.length) >>> 12) * 2 ** 32 + fmix32(h2 ^ h1);
}

/** The minute a span started in: the leading column of the span index. */
export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** A 52-bit hash of a text (a resource's JSON), exact as a JavaScript number: its key in `resources`. */
export function textKey(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x3c6ef372 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (fmix32(h1) >>> 12) * 2 ** 32 + fmix32(h2 ^ h1);
}
