/**
 * A minimal protobuf wire-format reader (no schema, no generated code, no allocation per field).
 *
 * The reader walks one buffer; `end` is the bound of the message being read (saved and restored by
 * the caller around nested messages), and every read is checked against it, so a length that runs
 * past its enclosing message is caught where it happens. 64-bit values are returned as two unsigned
 * 32-bit halves in `lo` / `hi`.
 *
 * Errors are OtlpDecodeError with the byte offset; decoders add where in the request they were.
 */
import { OtlpDecodeError } from "./decode-types";

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

const WIRE_NAMES = ["varint", "i64", "len", "start-group", "end-group", "i32", "6 (invalid)", "7 (invalid)"];

/** Groups (deprecated wire types 3/4) may nest; bound the recursion of skipping them. */
const MAX_GROUP_DEPTH = 32;

/** Field table of one message type, for errors on known fields sent with the wrong wire type. */
export interface MessageFields {
  message: string;
  /** names[fieldNumber], "" when the field is unknown to us. */
  names: string[];
  /** Expected wire type by field number, -1 when unknown. */
  wireTypes: Int8Array;
}

export function messageFields(message: string, fields: Record<number, [name: string, wireType: number]>): MessageFields {
  let max = 0;
  for (const k of Object.keys(fields)) max = Math.max(max, Number(k));
  const names: string[] = new Array(max + 1).fill("");
  const wireTypes = new Int8Array(max + 1).fill(-1);
  for (const [k, [name, wt]] of Object.entries(fields)) {
    names[Number(k)] = name;
    wireTypes[Number(k)] = wt;
  }
  return { message, names, wireTypes };
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class ProtoReader {
  buf: Uint8Array;
  pos: number;
  /** End (exclusive) of the message currently being read. */
  end: number;
  /** Low / high unsigned 32-bit halves of the last 64-bit value read. */
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.pos = 0;
    this.end = buf.length;
  }

  fail(message: string, at: number = this.pos): never {
    throw new OtlpDecodeError(`${message} at byte ${at}`);
  }

  /** Reads a field tag ((field number << 3) | wire type); it is validated when the field is skipped. */
  tag(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    const at = this.pos;
    this.varint64();
    if (this.hi !== 0) this.fail("field tag does not fit in 32 bits", at);
    return this.lo;
  }

  /** Reads a varint of up to 10 bytes into lo / hi. */
  varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    const start = pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    // bytes 0..3: bits 0..27
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) this.truncatedVarint(start);
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    // byte 4: bits 28..34
    if (pos >= end) this.truncatedVarint(start);
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      // bytes 5..9: bits 35..63
      for (let shift = 3; ; shift += 7) {
        if (pos >= end) this.truncatedVarint(start);
        b = buf[pos++];
        if (shift === 31) {
          // 10th byte: only its lowest bit is part of a 64-bit value
          if (b > 1) this.fail("varint longer than 64 bits", start);
          hi |= b << 31;
          break;
        }
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  private truncatedVarint(start: number): never {
    this.fail("truncated varint", start);
  }

  /** A varint field read as int32 / enum (protobuf truncation to the low 32 bits, signed). */
  int32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    return this.lo | 0;
  }

  /** Reads the length prefix of a length-delimited field and checks it against the message end. */
  len(): number {
    const at = this.pos;
    let n: number;
    const b = at < this.end ? this.buf[at] : 0x80;
    if (b < 0x80) {
      this.pos = at + 1;
      n = b;
    } else {
      this.varint64();
      if (this.hi !== 0 || this.lo > 0x7fffffff) this.fail(`length ${this.hiLoText()} is too large`, at);
      n = this.lo;
    }
    if (n > this.end - this.pos) {
      this.fail(`length ${n} runs past the end of the enclosing message (${this.end - this.pos} bytes left)`, at);
    }
    return n;
  }

  fixed32(): number {
    const pos = this.pos;
    if (this.end - pos < 4) this.fail("truncated fixed32");
    const b = this.buf;
    this.pos = pos + 4;
    return (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0;
  }

  /** Reads a fixed64 into lo / hi. */
  fixed64(): void {
    const pos = this.pos;
    if (this.end - pos < 8) this.fail("truncated fixed64");
    const b = this.buf;
    this.lo = (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0;
    this.hi = (b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16) | (b[pos + 7] << 24)) >>> 0;
    this.pos = pos + 8;
  }

  double(): number {
    const pos = this.pos;
    if (this.end - pos < 8) this.fail("truncated double");
    const b = this.buf;
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) f64Bytes[i] = b[pos + i];
    else for (let i = 0; i < 8; i++) f64Bytes[7 - i] = b[pos + i];
    this.pos = pos + 8;
    return f64[0];
  }

  /**
   * Skips a field this decoder does not read. A known field (per `fields`) sent with another wire
   * type than the schema's is an error; unknown fields of every valid wire type are skipped.
   */
  skip(tag: number, fields: MessageFields): void {
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field < fields.wireTypes.length) {
      const expected = fields.wireTypes[field];
      if (expected >= 0 && expected !== wt) {
        this.fail(
          `${fields.message}.${fields.names[field]} (field ${field}) has wire type ${WIRE_NAMES[wt]}, expected ${WIRE_NAMES[expected]}`,
          this.pos - 1,
        );
      }
    }
    this.skipField(tag, 0);
  }

  /**
   * For a length-delimited field the caller has already stepped over (tag at `tagAt`): fails when
   * its field number is 0 or the schema gives the field another wire type; otherwise nothing.
   */
  checkSkippedLen(tag: number, fields: MessageFields, tagAt: number): void {
    const field = tag >>> 3;
    if (field === 0) this.fail("invalid field number 0", tagAt);
    if (field < fields.wireTypes.length) {
      const expected = fields.wireTypes[field];
      if (expected >= 0 && expected !== WIRE_LEN) {
        this.fail(
          `${fields.message}.${fields.names[field]} (field ${field}) has wire type ${WIRE_NAMES[WIRE_LEN]}, expected ${WIRE_NAMES[expected]}`,
          tagAt,
        );
      }
    }
  }

  /** Skips the value of a field whose tag was just read. */
  skipField(tag: number, depth: number): void {
    const field = tag >>> 3;
    const wt = tag & 7;
    const at = this.pos;
    if (field === 0) this.fail("invalid field number 0", at - 1);
    switch (wt) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_I64:
        if (this.end - at < 8) this.fail("truncated fixed64", at);
        this.pos = at + 8;
        return;
      case WIRE_LEN: {
        const n = this.len();
        this.pos += n;
        return;
      }
      case WIRE_I32:
        if (this.end - at < 4) this.fail("truncated fixed32", at);
        this.pos = at + 4;
        return;
      case WIRE_SGROUP: {
        if (depth >= MAX_GROUP_DEPTH) this.fail("groups nested too deeply", at);
        for (;;) {
          if (this.pos >= this.end) this.fail(`unterminated group (field ${field})`, at);
          const t = this.tag();
          if ((t & 7) === WIRE_EGROUP) {
            if (t >>> 3 !== field) this.fail(`end-group tag for field ${t >>> 3} closes group of field ${field}`, this.pos - 1);
            return;
          }
          this.skipField(t, depth + 1);
        }
      }
      case WIRE_EGROUP:
        this.fail(`unexpected end-group tag (field ${field})`, at - 1);
      // eslint-disable-next-line no-fallthrough
      default:
        this.fail(`invalid wire type ${wt} (field ${field})`, at - 1);
    }
  }

  private hiLoText(): string {
    return (BigInt(this.hi) * 4294967296n + BigInt(this.lo)).toString();
  }
}
