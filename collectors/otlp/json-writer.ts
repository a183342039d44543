/**
 * A reusable byte buffer that JSON text is written into straight from protobuf bytes: UTF-8 string
 * bytes are copied with JSON escaping (same escapes as JSON.stringify), and the finished text is turned
 * into one JS string with a single native call. Not re-entrant: each decoder owns its writers.
 */
import * as common from "./decode-common";

// Imported bindings are copied to module constants once: under CommonJS interop (tsx, vitest, some
// bundlers) each use of an imported binding is a getter call, which is costly in the hot loops.
const { asciiText, truncate, utf8Text } = common;

/**
 * Per byte: 0 copy as is; 1 copy as is but the text is no longer ASCII; otherwise the escape:
 * the char after the backslash, or 'u' (117) for \u00XX.
 */
const ESC = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) ESC[c] = 117;
ESC[8] = 98; // \b
ESC[9] = 116; // \t
ESC[10] = 110; // \n
ESC[12] = 102; // \f
ESC[13] = 114; // \r
ESC[34] = 34; // \"
ESC[92] = 92; // \\
for (let c = 0x80; c < 0x100; c++) ESC[c] = 1;

const HEXCH = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

const INITIAL = 16 * 1024;
/** After a request that needed more, shrink back so one huge request does not pin memory. */
const KEEP_MAX = 1024 * 1024;

const textEncoder = new TextEncoder();

function alloc(n: number): Uint8Array {
  return typeof Buffer !== "undefined" ? Buffer.allocUnsafeSlow(n) : new Uint8Array(n);
}

function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export class JsonWriter {
  buf: Uint8Array = alloc(INITIAL);
  view: DataView = viewOf(this.buf);
  pos = 0;
  /** False once a non-ASCII byte was written. */
  ascii = true;

  reset(): void {
    this.pos = 0;
    this.ascii = true;
  }

  /** Drops an oversized buffer (call between requests). */
  trim(): void {
    if (this.buf.length > KEEP_MAX) {
      this.buf = alloc(INITIAL);
      this.view = viewOf(this.buf);
    }
    this.reset();
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = alloc(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = viewOf(next);
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** Writes a string made of ASCII chars only (literals, numbers, hex). */
  ascii7(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const o = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) o[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Writes an already-escaped JSON text that may hold any chars (as UTF-8). */
  jsonText(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const o = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        const r = textEncoder.encodeInto(s.slice(i), o.subarray(p));
        this.pos = p + r.written;
        this.ascii = false;
        return;
      }
      o[p++] = c;
    }
    this.pos = p;
  }

  /**
   * Writes the UTF-8 bytes src[s, e) as a JSON string literal, cut to at most `max` UTF-16 code units.
   * `srcView` is a DataView over `src`. The byte count bounds the code unit count, so only strings
   * longer than `max` bytes are decoded.
   */
  utf8Json(src: Uint8Array, srcView: DataView, s: number, e: number, max: number): void {
    const n = e - s;
    if (n > max) {
      const str = utf8Text(src, s, e);
      if (str.length > max) {
        this.jsonText(JSON.stringify(truncate(str, max)));
        return;
      }
    }
    if (this.pos + n * 6 + 2 > this.buf.length) this.grow(n * 6 + 2);
    const o = this.buf;
    let p = this.pos;
    o[p++] = 34;
    p = this.copy(src, srcView, s, e, p);
    o[p++] = 34;
    this.pos = p;
  }

  /**
   * Writes `"key":"value"` (preceded by a comma when `comma`) from two UTF-8 byte ranges of `src`;
   * the caller has checked that the value needs no truncation.
   */
  stringPair(src: Uint8Array, srcView: DataView, ks: number, ke: number, vs: number, ve: number, comma: boolean): void {
    const need = (ke - ks + (ve - vs)) * 6 + 6;
    if (this.pos + need > this.buf.length) this.grow(need);
    const o = this.buf;
    const ov = this.view;
    const esc = ESC;
    let p = this.pos;
    if (comma) o[p++] = 44;
    o[p++] = 34;
    // The two copies are written out here rather than calling copy(): this is the hottest path of
    // the protobuf decoder and a call per string costs as much as copying a short one.
    let i = ks;
    while (i + 4 <= ke) {
      const w = srcView.getUint32(i, true);
      if ((((w - 0x20202020) | w | ((w ^ 0x22222222) - 0x01010101) | ((w ^ 0x5c5c5c5c) - 0x01010101)) & 0x80808080) !== 0) break;
      ov.setUint32(p, w, true);
      p += 4;
      i += 4;
    }
    for (; i < ke; i++) {
      const c = src[i];
      if (esc[c] === 0) o[p++] = c;
      else p = this.escapeByte(c, p);
    }
    o[p++] = 34;
    o[p++] = 58;
    o[p++] = 34;
    i = vs;
    while (i + 4 <= ve) {
      const w = srcView.getUint32(i, true);
      if ((((w - 0x20202020) | w | ((w ^ 0x22222222) - 0x01010101) | ((w ^ 0x5c5c5c5c) - 0x01010101)) & 0x80808080) !== 0) break;
      ov.setUint32(p, w, true);
      p += 4;
      i += 4;
    }
    for (; i < ve; i++) {
      const c = src[i];
      if (esc[c] === 0) o[p++] = c;
      else p = this.escapeByte(c, p);
    }
    o[p++] = 34;
    this.pos = p;
  }

  /** Writes `"key":` (preceded by a comma when `comma`) from a UTF-8 byte range of `src`. */
  key(src: Uint8Array, srcView: DataView, ks: number, ke: number, comma: boolean): void {
    const need = (ke - ks) * 6 + 4;
    if (this.pos + need > this.buf.length) this.grow(need);
    const o = this.buf;
    let p = this.pos;
    if (comma) o[p++] = 44;
    o[p++] = 34;
    p = this.copy(src, srcView, ks, ke, p);
    o[p++] = 34;
    o[p++] = 58;
    this.pos = p;
  }

  /** Writes the decimal digits of a non-negative integer below 2^31. */
  uint(v: number): void {
    let digits = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
    if (this.pos + digits > this.buf.length) this.grow(digits);
    const o = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = (v / 10) | 0;
      o[--p] = 48 + v - q * 10;
      v = q;
    } while (v !== 0);
  }

  /** Writes byte c, which needs escaping or is non-ASCII, at p; returns the new position. */
  private escapeByte(c: number, p: number): number {
    const o = this.buf;
    const x = ESC[c];
    if (x === 1) {
      o[p++] = c;
      this.ascii = false;
      return p;
    }
    o[p++] = 92;
    if (x === 117) {
      o[p++] = 117;
      o[p++] = 48;
      o[p++] = 48;
      o[p++] = HEXCH[c >> 4];
      o[p++] = HEXCH[c & 15];
    } else {
      o[p++] = x;
    }
    return p;
  }

  /**
   * Copies src[s, e) to buf[p...] with JSON string escaping (capacity already ensured); returns the new
   * position. Runs of 4 plain ASCII bytes (no control char, quote or backslash) are tested and copied
   * a 32-bit word at a time, the rest byte by byte.
   */
  private copy(src: Uint8Array, srcView: DataView, s: number, e: number, p: number): number {
    const o = this.buf;
    const ov = this.view;
    let i = s;
    while (i + 4 <= e) {
      const w = srcView.getUint32(i, true);
      // A byte's high bit ends up set, for the lowest such byte exactly, iff it is < 0x20, >= 0x80, '"' or '\\'.
      if ((((w - 0x20202020) | w | ((w ^ 0x22222222) - 0x01010101) | ((w ^ 0x5c5c5c5c) - 0x01010101)) & 0x80808080) !== 0) break;
      ov.setUint32(p, w, true);
      p += 4;
      i += 4;
    }
    for (; i < e; i++) {
      const c = src[i];
      if (ESC[c] === 0) o[p++] = c;
      else p = this.escapeByte(c, p);
    }
    return p;
  }

  /** The text written since `start` (a byte offset) as a string. */
  text(start: number): string {
    return this.ascii ? asciiText(this.buf, start, this.pos) : utf8Text(this.buf, start, this.pos);
  }
}
