/**
 * Snappy block-format decompressor (the raw format remote_write bodies use, not the framed stream
 * format), from the format description in google/snappy format_description.txt:
 *
 *   varint uncompressed length, then elements; the low 2 bits of an element's tag byte say which:
 *   00 literal   length-1 in the upper 6 bits, or 60..63 → 1..4 little-endian length bytes follow
 *   01 copy      length 4..11 (bits 2..4), offset 11 bits (bits 5..7 + one byte)
 *   10 copy      length 1..64 (upper 6 bits), offset in 2 little-endian bytes
 *   11 copy      length 1..64 (upper 6 bits), offset in 4 little-endian bytes
 *
 * The declared length is checked against the caller's limit before the output is allocated, and
 * every element is checked against the input end, the output end and the bytes written so far.
 */

export class SnappyError extends Error {
  constructor(
    message: string,
    /** The declared uncompressed length exceeds the caller's limit (a 413, not a malformed body). */
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = "SnappyError";
  }
}

export function snappyDecompress(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  // Uncompressed length: a varint of at most 32 bits (5 bytes).
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length) throw new SnappyError("truncated length header");
    const b = input[pos++];
    if (shift === 28 && b > 0x0f) throw new SnappyError("uncompressed length does not fit in 32 bits");
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > maxOutputBytes) {
    throw new SnappyError(`uncompressed length ${length} exceeds the limit of ${maxOutputBytes} bytes`, true);
  }

  const out = new Uint8Array(length);
  let o = 0;
  const end = input.length;
  while (pos < end) {
    const tag = input[pos++];
    let n: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        n = tag >>> 2;
        if (n >= 60) {
          const bytes = n - 59;
          if (end - pos < bytes) throw new SnappyError(`truncated literal length at byte ${pos}`);
          n = 0;
          for (let i = 0; i < bytes; i++) n += input[pos + i] * 2 ** (8 * i);
          pos += bytes;
        }
        n += 1;
        if (n > end - pos) throw new SnappyError(`literal of ${n} bytes runs past the end of the input at byte ${pos}`);
        if (n > length - o) throw new SnappyError(`literal of ${n} bytes runs past the declared length ${length}`);
        if (n < 16) for (let i = 0; i < n; i++) out[o + i] = input[pos + i];
        else out.set(input.subarray(pos, pos + n), o);
        pos += n;
        o += n;
        continue;
      }
      case 1:
        if (pos >= end) throw new SnappyError(`truncated copy at byte ${pos - 1}`);
        n = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | input[pos++];
        break;
      case 2:
        if (end - pos < 2) throw new SnappyError(`truncated copy at byte ${pos - 1}`);
        n = 1 + (tag >>> 2);
        offset = input[pos] | (input[pos + 1] << 8);
        pos += 2;
        break;
      default:
        if (end - pos < 4) throw new SnappyError(`truncated copy at byte ${pos - 1}`);
        n = 1 + (tag >>> 2);
        offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
        pos += 4;
    }
    if (offset === 0 || offset > o) throw new SnappyError(`copy offset ${offset} is outside the ${o} bytes written (at input byte ${pos})`);
    if (n > length - o) throw new SnappyError(`copy of ${n} bytes runs past the declared length ${length}`);
    // A copy may overlap its own output (offset < n repeats a pattern): then byte by byte, forwards.
    const from = o - offset;
    if (offset >= n && n >= 16) out.copyWithin(o, from, from + n);
    else for (let i = 0; i < n; i++) out[o + i] = out[from + i];
    o += n;
  }
  if (o !== length) throw new SnappyError(`decompressed ${o} bytes, the header declared ${length}`);
  return out;
}
