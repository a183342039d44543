/** Byte comparisons four bytes at a time: for the hot paths that match incoming bytes against known ones in place. */

export const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Whether `a[p, p + length)` and `b[q, q + length)` hold the same bytes (both ranges inside their views). */
export function sameBytes(a: DataView, p: number, b: DataView, q: number, length: number): boolean {
  const end = q + length;
  for (; q + 4 <= end; p += 4, q += 4) if (a.getInt32(p, true) !== b.getInt32(q, true)) return false;
  for (; q < end; p++, q++) if (a.getUint8(p) !== b.getUint8(q)) return false;
  return true;
}
