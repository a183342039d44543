/**
 * Helpers shared by the protobuf and JSON OTLP decoders. Both decoders must produce byte-identical
 * SpanRecords for the same spans, so every value → JSON text mapping lives here, in one place.
 */

/** Node's Buffer has undocumented but stable one-call slice decoders; use them when present. */
interface FastSlices {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
}

const HAS_FAST_SLICES =
  typeof Buffer !== "undefined" &&
  typeof (Buffer.prototype as FastSlices).latin1Slice === "function" &&
  typeof (Buffer.prototype as FastSlices).utf8Slice === "function";

const utf8Decoder = new TextDecoder("utf-8");

/** A Buffer view over `u8` (no copy) when Buffer exists, else `u8` itself. */
export function asBuffer(u8: Uint8Array): Uint8Array {
  if (typeof Buffer === "undefined" || Buffer.isBuffer(u8)) return u8;
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/** Decodes UTF-8 (invalid sequences → U+FFFD, as TextDecoder does). `buf` should come from asBuffer(). */
export function utf8Text(buf: Uint8Array, start: number, end: number): string {
  if (start === end) return "";
  if (HAS_FAST_SLICES && Buffer.isBuffer(buf)) return (buf as FastSlices).utf8Slice!(start, end);
  return utf8Decoder.decode(buf.subarray(start, end));
}

/** Decodes bytes known to be ASCII. `buf` should come from asBuffer(). */
export function asciiText(buf: Uint8Array, start: number, end: number): string {
  if (start === end) return "";
  if (HAS_FAST_SLICES && Buffer.isBuffer(buf)) return (buf as FastSlices).latin1Slice!(start, end);
  return utf8Decoder.decode(buf.subarray(start, end));
}

export function base64(buf: Uint8Array, start: number, end: number): string {
  if (typeof Buffer !== "undefined") return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("base64");
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return btoa(s);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

/** Canonical (standard alphabet, padded) base64 of a base64 text, or null when it is not base64. */
export function normalizeBase64(s: string): string | null {
  if (!BASE64_RE.test(s)) {
    if (!BASE64URL_RE.test(s) || s.length % 4 === 1) return null;
  }
  if (typeof Buffer !== "undefined") return Buffer.from(s, "base64").toString("base64");
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return btoa(bin);
}

// ---------------------------------------------------------------------------------------------
// Hex ids

const HEX_DIGITS = "0123456789abcdef";
/** Char codes of the high / low hex digit of each byte value. */
export const HEX_HI = new Uint8Array(256);
export const HEX_LO = new Uint8Array(256);
/** Two-char lowercase hex string of each byte value. */
export const HEX_PAIR: string[] = new Array(256);
for (let i = 0; i < 256; i++) {
  HEX_HI[i] = HEX_DIGITS.charCodeAt(i >> 4);
  HEX_LO[i] = HEX_DIGITS.charCodeAt(i & 15);
  HEX_PAIR[i] = HEX_DIGITS[i >> 4] + HEX_DIGITS[i & 15];
}

/** 16 hex chars of the 8 bytes at b[s]. */
export function hex8(b: Uint8Array, s: number): string {
  const H = HEX_HI, L = HEX_LO;
  const b0 = b[s], b1 = b[s + 1], b2 = b[s + 2], b3 = b[s + 3];
  const b4 = b[s + 4], b5 = b[s + 5], b6 = b[s + 6], b7 = b[s + 7];
  return String.fromCharCode(
    H[b0], L[b0], H[b1], L[b1], H[b2], L[b2], H[b3], L[b3],
    H[b4], L[b4], H[b5], L[b5], H[b6], L[b6], H[b7], L[b7],
  );
}

/** 32 hex chars of the 16 bytes at b[s]. */
export function hex16(b: Uint8Array, s: number): string {
  const H = HEX_HI, L = HEX_LO;
  const b0 = b[s], b1 = b[s + 1], b2 = b[s + 2], b3 = b[s + 3];
  const b4 = b[s + 4], b5 = b[s + 5], b6 = b[s + 6], b7 = b[s + 7];
  const b8 = b[s + 8], b9 = b[s + 9], b10 = b[s + 10], b11 = b[s + 11];
  const b12 = b[s + 12], b13 = b[s + 13], b14 = b[s + 14], b15 = b[s + 15];
  return String.fromCharCode(
    H[b0], L[b0], H[b1], L[b1], H[b2], L[b2], H[b3], L[b3],
    H[b4], L[b4], H[b5], L[b5], H[b6], L[b6], H[b7], L[b7],
    H[b8], L[b8], H[b9], L[b9], H[b10], L[b10], H[b11], L[b11],
    H[b12], L[b12], H[b13], L[b13], H[b14], L[b14], H[b15], L[b15],
  );
}

/** Hex of any number of bytes. */
export function hexAny(b: Uint8Array, s: number, e: number): string {
  if (e - s === 16) return hex16(b, s);
  if (e - s === 8) return hex8(b, s);
  let out = "";
  for (let i = s; i < e; i++) out += HEX_PAIR[b[i]];
  return out;
}

export function allZero(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Lowercase form of a hex id text, or null when it is not an even-length hex string.
 * Returns the same string instance when it already is lowercase hex.
 */
export function normalizeHex(s: string): string | null {
  const n = s.length;
  if ((n & 1) !== 0) return null;
  let upper = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) {
      upper = true;
      continue;
    }
    return null;
  }
  return upper ? s.toLowerCase() : s;
}

/** True when a (valid) hex text is all zeros. */
export function hexAllZero(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Timestamps. A uint64 nanosecond count N is carried as (q, r) = (floor(N / 1e6), N mod 1e6): both
// parts are exact doubles for every uint64, both decoders compute them exactly, and so the derived
// milliseconds are identical whichever decoder ran.

/** Result registers of splitNs* (avoid allocating a pair per call). */
export const T = { q: 0, r: 0 };

/** Splits the uint64 hi·2^32 + lo (both unsigned 32-bit) into T. */
export function splitNs(lo: number, hi: number): void {
  // hi·2^32 = hi·4294·1e6 + hi·967296, and hi·967296 + lo < 2^53 so t is exact.
  const t = hi * 967296 + lo;
  let q = Math.floor(t / 1e6);
  let r = t - q * 1e6;
  if (r < 0) {
    q -= 1;
    r += 1e6;
  } else if (r >= 1e6) {
    q += 1;
    r -= 1e6;
  }
  T.q = hi * 4294 + q;
  T.r = r;
}

/** Milliseconds (fractional) of a split nanosecond count. */
export function msOf(q: number, r: number): number {
  return r === 0 ? q : q + r / 1e6;
}

/** (end − start) in milliseconds from split nanosecond counts; the ns difference is an exact integer below 2^53. */
export function durationMsOf(sq: number, sr: number, eq: number, er: number): number {
  return ((eq - sq) * 1e6 + (er - sr)) / 1e6;
}

/** Decimal text of a split nanosecond count (for messages). */
export function nsText(q: number, r: number): string {
  if (q === 0) return String(r);
  const rs = String(r);
  return String(q) + "000000".slice(rs.length) + rs;
}

const UINT64_MAX_TEXT = "18446744073709551615";

/**
 * Splits a uint64 nanosecond count given in OTLP/JSON (decimal string, or a JSON number) into T.
 * Returns false when it is not a valid uint64.
 */
export function splitNsJson(v: unknown): boolean {
  if (typeof v === "string") {
    const n = v.length;
    if (n === 0 || n > 20) return false;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (n === 20 && v > UINT64_MAX_TEXT) return false;
    // N = a·1e9 + b
    let a = 0;
    let b = 0;
    const split = n > 9 ? n - 9 : 0;
    for (let i = 0; i < split; i++) a = a * 10 + (v.charCodeAt(i) - 48);
    for (let i = split; i < n; i++) b = b * 10 + (v.charCodeAt(i) - 48);
    const qb = Math.floor(b / 1e6);
    T.q = a * 1000 + qb;
    T.r = b - qb * 1e6;
    return true;
  }
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0 || v > 18446744073709551615) return false;
    if (v <= Number.MAX_SAFE_INTEGER) {
      const q = Math.floor(v / 1e6);
      T.q = q;
      T.r = v - q * 1e6;
      return true;
    }
    const big = BigInt(v);
    if (big > 0xffffffffffffffffn) return false;
    T.q = Number(big / 1000000n);
    T.r = Number(big % 1000000n);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Value → JSON text

/** JSON text of a double: a JSON number, or the names "NaN" / "Infinity" / "-Infinity" as strings. */
export function doubleText(d: number): string {
  if (d !== d) return '"NaN"';
  if (d === Infinity) return '"Infinity"';
  if (d === -Infinity) return '"-Infinity"';
  return String(d);
}

const TWO_POW_63 = 9223372036854775808;

/** JSON text of the int64 whose two's complement halves are hi:lo. */
export function int64Text(lo: number, hi: number): string {
  const shi = hi | 0;
  if (shi >= -0x200000 && shi < 0x200000) {
    const v = shi * 4294967296 + (lo >>> 0);
    if (v >= -Number.MAX_SAFE_INTEGER) return String(v);
  }
  const big = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  return '"' + big.toString() + '"';
}

/**
 * JSON text of an OTLP/JSON intValue (JSON number or decimal string), or null when invalid.
 * A JSON number that is integral but outside int64 gets the double mapping (it cannot be exact anyway,
 * and it is what the protobuf encoding of the same SDK value carries).
 */
export function int64TextJson(v: unknown): string | null {
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return String(v);
    if (!Number.isInteger(v)) return null;
    if (v >= -TWO_POW_63 && v < TWO_POW_63) return '"' + BigInt(v).toString() + '"';
    return doubleText(v);
  }
  if (typeof v === "string") {
    const n = v.length;
    let i = 0;
    if (n > 0 && v.charCodeAt(0) === 45) i = 1;
    if (i === n || n > 21) return null;
    for (let j = i; j < n; j++) {
      const c = v.charCodeAt(j);
      if (c < 48 || c > 57) return null;
    }
    if (n - i <= 15) return String(Number(v) + 0);
    const big = BigInt(v);
    if (big < -9223372036854775808n || big > 9223372036854775807n) return null;
    const num = Number(big);
    if (Number.isSafeInteger(num)) return String(num);
    return '"' + big.toString() + '"';
  }
  return null;
}

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** JSON text of an OTLP/JSON doubleValue (number, or "NaN"/"Infinity"/"-Infinity"/numeric string), or null. */
export function doubleTextJson(v: unknown): string | null {
  if (typeof v === "number") return doubleText(v);
  if (typeof v === "string") {
    if (v === "NaN") return '"NaN"';
    if (v === "Infinity") return '"Infinity"';
    if (v === "-Infinity") return '"-Infinity"';
    if (!DECIMAL_RE.test(v)) return null;
    return doubleText(Number(v));
  }
  return null;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON string literal of `s`, exactly as JSON.stringify(s) writes it (plain strings skip the escaper). */
export function jsonQuote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** Cuts a string to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return "";
  let cut = max;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut -= 1;
  return s.slice(0, cut);
}

export const UNKNOWN_SERVICE = "unknown_service";

/** Normalizes limits once per request. */
export function maxLen(limit: number): number {
  return limit >= 0 ? Math.floor(limit) : 0;
}
