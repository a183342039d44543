/**
 * OTLP/HTTP protobuf trace request decoder: ExportTraceServiceRequest bytes → SpanRecord[], straight
 * from the wire (no intermediate object tree), written by hand from the field numbers of
 * opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1).
 *
 *   ExportTraceServiceRequest  resource_spans=1
 *   ResourceSpans              resource=1 scope_spans=2 schema_url=3
 *   Resource                   attributes=1 dropped_attributes_count=2
 *   ScopeSpans                 scope=1 spans=2 schema_url=3
 *   InstrumentationScope       name=1 version=2 attributes=3 dropped_attributes_count=4
 *   Span                       trace_id=1 span_id=2 trace_state=3 parent_span_id=4 name=5 kind=6
 *                              start_time_unix_nano=7 (fixed64) end_time_unix_nano=8 (fixed64)
 *                              attributes=9 dropped_attributes_count=10 events=11 dropped_events_count=12
 *                              links=13 dropped_links_count=14 status=15 flags=16 (fixed32)
 *   Span.Event                 time_unix_nano=1 (fixed64) name=2 attributes=3 dropped_attributes_count=4
 *   Span.Link                  trace_id=1 span_id=2 trace_state=3 attributes=4 dropped_attributes_count=5 flags=6 (fixed32)
 *   Status                     message=2 code=3
 *   KeyValue                   key=1 value=2
 *   AnyValue                   string_value=1 bool_value=2 int_value=3 double_value=4 (double)
 *                              array_value=5 kvlist_value=6 bytes_value=7
 *   ArrayValue / KeyValueList  values=1
 *
 * Field order on the wire is not assumed: resource and scope are read before the spans of their
 * ResourceSpans / ScopeSpans (one cheap tag walk), and keys before values.
 *
 * Speed (bench/decoder.ts): attribute JSON text is written as bytes straight from the wire into a
 * reusable buffer (JsonWriter: escape check and copy four bytes at a time), the common attribute
 * encodings (string / small int / bool value, one- or two-byte lengths) are recognised inline, the
 * span loop reads one-byte tags and lengths itself, and the text of 16 spans' attributes is made by
 * one native decode plus substrings. Names are interned, consecutive equal trace / parent ids share
 * their hex string. Everything unusual falls back to the general ProtoReader path, which checks all
 * bounds and wire types.
 */
import type { SpanRecord } from "../../lib/ingest/span-record";
import * as common from "./decode-common";
import { type DecodeLimits, type DecodeResult, OtlpDecodeError, TooManySpansError } from "./decode-types";
import * as writer from "./json-writer";
import * as wire from "./proto-reader";
import type { MessageFields, ProtoReader } from "./proto-reader";

// Imported bindings are copied to module constants once: under CommonJS interop (tsx, vitest, some
// bundlers) each use of an imported binding is a getter call, which is costly in the hot loops.
const {
  T,
  UNKNOWN_SERVICE,
  allZero,
  asBuffer,
  asciiText,
  base64,
  doubleText,
  durationMsOf,
  hex16,
  hex8,
  hexAny,
  int64Text,
  maxLen,
  msOf,
  nsText,
  splitNs,
  truncate,
  utf8Text,
} = common;
const { messageFields } = wire;
const Reader = wire.ProtoReader;
const JsonWriter = writer.JsonWriter;
type JsonWriter = writer.JsonWriter;

// Tags ((field << 3) | wire type) of the fields read on the hot path. (const enums are inlined by the
// compiler: module-level constants would be context loads in every comparison under CommonJS.)
const enum Tag {
  F1_LEN = 10,
  F2_LEN = 18,
  F3_LEN = 26,
  F4_LEN = 34,
  F5_LEN = 42,
  F6_LEN = 50,
  F7_LEN = 58,
  F1_I64 = 9,
  F2_VARINT = 16,
  F3_VARINT = 24,
  F4_I64 = 33,
  F6_VARINT = 48,
  F7_I64 = 57,
  F8_I64 = 65,
  F9_LEN = 74,
  F11_LEN = 90,
  F13_LEN = 106,
  F15_LEN = 122,
  F16_I32 = 133,
}

const enum Wire {
  VARINT = 0,
  I64 = 1,
  LEN = 2,
  I32 = 5,
}

/** Sizes and bounds (a const enum, so they are inlined). */
const enum K {
  /** Nesting limit for array / kvlist values (keeps recursion bounded on hostile input). */
  MAX_VALUE_DEPTH = 32,
  /** Entries of the span / scope name cache, and the longest name it holds. */
  NAME_CACHE_SIZE = 1024,
  NAME_CACHE_MAX_LEN = 96,
  /** Spans whose attribute texts are made with one native decode (see flushAttributes). */
  ATTR_GROUP = 16,
}

// Field tables (for wire-type checks of known fields that this decoder skips or meets out of place).
const REQUEST_FIELDS = messageFields("ExportTraceServiceRequest", { 1: ["resource_spans", Wire.LEN] });
const RESOURCE_SPANS_FIELDS = messageFields("ResourceSpans", {
  1: ["resource", Wire.LEN],
  2: ["scope_spans", Wire.LEN],
  3: ["schema_url", Wire.LEN],
});
const RESOURCE_FIELDS = messageFields("Resource", {
  1: ["attributes", Wire.LEN],
  2: ["dropped_attributes_count", Wire.VARINT],
});
const SCOPE_SPANS_FIELDS = messageFields("ScopeSpans", {
  1: ["scope", Wire.LEN],
  2: ["spans", Wire.LEN],
  3: ["schema_url", Wire.LEN],
});
const SCOPE_FIELDS = messageFields("InstrumentationScope", {
  1: ["name", Wire.LEN],
  2: ["version", Wire.LEN],
  3: ["attributes", Wire.LEN],
  4: ["dropped_attributes_count", Wire.VARINT],
});
const SPAN_FIELDS = messageFields("Span", {
  1: ["trace_id", Wire.LEN],
  2: ["span_id", Wire.LEN],
  3: ["trace_state", Wire.LEN],
  4: ["parent_span_id", Wire.LEN],
  5: ["name", Wire.LEN],
  6: ["kind", Wire.VARINT],
  7: ["start_time_unix_nano", Wire.I64],
  8: ["end_time_unix_nano", Wire.I64],
  9: ["attributes", Wire.LEN],
  10: ["dropped_attributes_count", Wire.VARINT],
  11: ["events", Wire.LEN],
  12: ["dropped_events_count", Wire.VARINT],
  13: ["links", Wire.LEN],
  14: ["dropped_links_count", Wire.VARINT],
  15: ["status", Wire.LEN],
  16: ["flags", Wire.I32],
});
const EVENT_FIELDS = messageFields("Span.Event", {
  1: ["time_unix_nano", Wire.I64],
  2: ["name", Wire.LEN],
  3: ["attributes", Wire.LEN],
  4: ["dropped_attributes_count", Wire.VARINT],
});
const LINK_FIELDS = messageFields("Span.Link", {
  1: ["trace_id", Wire.LEN],
  2: ["span_id", Wire.LEN],
  3: ["trace_state", Wire.LEN],
  4: ["attributes", Wire.LEN],
  5: ["dropped_attributes_count", Wire.VARINT],
  6: ["flags", Wire.I32],
});
const STATUS_FIELDS = messageFields("Status", { 2: ["message", Wire.LEN], 3: ["code", Wire.VARINT] });
const KEY_VALUE_FIELDS = messageFields("KeyValue", { 1: ["key", Wire.LEN], 2: ["value", Wire.LEN] });
const ANY_VALUE_FIELDS = messageFields("AnyValue", {
  1: ["string_value", Wire.LEN],
  2: ["bool_value", Wire.VARINT],
  3: ["int_value", Wire.VARINT],
  4: ["double_value", Wire.I64],
  5: ["array_value", Wire.LEN],
  6: ["kvlist_value", Wire.LEN],
  7: ["bytes_value", Wire.LEN],
});
const VALUES_FIELDS = messageFields("ArrayValue/KeyValueList", { 1: ["values", Wire.LEN] });

/** Span field numbers (< 16) whose varint values may be stepped over inline: known varint fields and unknown ones. */
const SPAN_VARINT_OK = new Uint8Array(16);
for (let f = 1; f < 16; f++) SPAN_VARINT_OK[f] = SPAN_FIELDS.wireTypes[f] === -1 || SPAN_FIELDS.wireTypes[f] === Wire.VARINT ? 1 : 0;

// ---------------------------------------------------------------------------------------------
// Decoder state (module level: decoding is synchronous, so one request at a time).

const attrW = new JsonWriter(); // span attributes
const eventW = new JsonWriter(); // span events
const linkW = new JsonWriter(); // span links
const resW = new JsonWriter(); // resource attributes

const EMPTY = new Uint8Array(0);
let B: Uint8Array = EMPTY;
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
/** DataView over B. */
let V: DataView = EMPTY_VIEW;
let maxValueLen = 0;
let maxSpans = 0;
let out: SpanRecord[] = [];
let spanCount = 0;
let rejected = 0;
let rejectionMessage = "";

// Where we are, for error messages.
let rsIndex = -1;
let ssIndex = -1;
let spIndex = -1;

// Current resource / scope.
let curService = UNKNOWN_SERVICE;
let curResource = "{}";
let curScope = "";

// KeyValue just written: byte ranges of its key and value (value -1 when absent).
let kvKeyStart = 0;
let kvKeyEnd = 0;
let kvValueStart = -1;
let kvValueEnd = -1;

// Last trace id seen (consecutive spans of one trace share the string).
const lastTraceBytes = new Uint8Array(16);
const lastTraceView = new DataView(lastTraceBytes.buffer);
let lastTraceHex = "";

// Interned span / scope names: a direct-mapped cache of ASCII names, keyed by a hash of their bytes.
const nameStrings: string[] = new Array(K.NAME_CACHE_SIZE).fill("");
const nameLengths = new Int32Array(K.NAME_CACHE_SIZE).fill(-1);
const nameBytes = new Uint8Array(K.NAME_CACHE_SIZE * K.NAME_CACHE_MAX_LEN);
const nameView = new DataView(nameBytes.buffer);

function nameText(b: Uint8Array, v: DataView, s: number, e: number): string {
  const n = e - s;
  if (n === 0) return "";
  if (n > K.NAME_CACHE_MAX_LEN) return utf8Text(b, s, e);
  let h = n;
  let or = 0;
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const w = v.getUint32(i, true);
    or |= w;
    h = Math.imul(h ^ w, 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < e; i++) {
    const c = b[i];
    or |= c;
    h = Math.imul(h ^ c, 0x9e3779b1);
  }
  if ((or & 0x80808080) !== 0) return utf8Text(b, s, e);
  const slot = (h ^ (h >>> 16)) & (K.NAME_CACHE_SIZE - 1);
  const base = slot * K.NAME_CACHE_MAX_LEN;
  if (nameLengths[slot] === n) {
    let j = 0;
    while (j + 4 <= n && nameView.getUint32(base + j, true) === v.getUint32(s + j, true)) j += 4;
    if (j + 4 > n) {
      while (j < n && nameBytes[base + j] === b[s + j]) j++;
      if (j === n) return nameStrings[slot];
    }
  }
  const str = asciiText(b, s, e);
  nameStrings[slot] = str;
  nameLengths[slot] = n;
  for (let j = 0; j < n; j++) nameBytes[base + j] = b[s + j];
  return str;
}

function traceHex(b: Uint8Array, v: DataView, s: number): string {
  const lv = lastTraceView;
  if (
    lastTraceHex !== "" &&
    lv.getUint32(0, true) === v.getUint32(s, true) &&
    lv.getUint32(4, true) === v.getUint32(s + 4, true) &&
    lv.getUint32(8, true) === v.getUint32(s + 8, true) &&
    lv.getUint32(12, true) === v.getUint32(s + 12, true)
  ) {
    return lastTraceHex;
  }
  const last = lastTraceBytes;
  for (let j = 0; j < 16; j++) last[j] = b[s + j];
  lastTraceHex = hex16(b, s);
  return lastTraceHex;
}

// Last parent span id seen (siblings share it); "" as the text of an all-zero id.
let lastParentLo = 0;
let lastParentHi = 0;
let lastParentHex: string | null = null;

function parentHex(b: Uint8Array, v: DataView, s: number): string {
  const lo = v.getUint32(s, true);
  const hi = v.getUint32(s + 4, true);
  if (lastParentHex !== null && lo === lastParentLo && hi === lastParentHi) return lastParentHex;
  lastParentLo = lo;
  lastParentHi = hi;
  lastParentHex = lo === 0 && hi === 0 ? "" : hex8(b, s);
  return lastParentHex;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Reads a nested message's length and makes it the reader's current message; returns the outer end. */
function enter(r: ProtoReader): number {
  const n = r.len();
  const outer = r.end;
  r.end = r.pos + n;
  return outer;
}

/** Writes the AnyValue in [r.pos, r.end) as JSON text; an empty AnyValue is null. Leaves r.pos at r.end. */
function writeAnyValue(r: ProtoReader, w: JsonWriter, depth: number): void {
  const start = w.pos;
  let set = false;
  while (r.pos < r.end) {
    const t = r.tag();
    // oneof: the last value field wins, so each one overwrites what the previous wrote
    switch (t) {
      case Tag.F1_LEN: {
        const n = r.len();
        w.pos = start;
        w.utf8Json(B, V, r.pos, r.pos + n, maxValueLen);
        r.pos += n;
        set = true;
        break;
      }
      case Tag.F2_VARINT:
        r.varint64();
        w.pos = start;
        w.ascii7(r.lo !== 0 || r.hi !== 0 ? "true" : "false");
        set = true;
        break;
      case Tag.F3_VARINT:
        r.varint64();
        w.pos = start;
        w.ascii7(int64Text(r.lo, r.hi));
        set = true;
        break;
      case Tag.F4_I64: {
        const d = r.double();
        w.pos = start;
        w.ascii7(doubleText(d));
        set = true;
        break;
      }
      case Tag.F5_LEN: {
        if (depth >= K.MAX_VALUE_DEPTH) r.fail("array/kvlist values nested too deeply");
        const outer = enter(r);
        w.pos = start;
        w.byte(91); // [
        let count = 0;
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === Tag.F1_LEN) {
            const outer2 = enter(r);
            if (count++ !== 0) w.byte(44);
            writeAnyValue(r, w, depth + 1);
            r.end = outer2;
          } else {
            r.skip(t2, VALUES_FIELDS);
          }
        }
        w.byte(93); // ]
        r.end = outer;
        set = true;
        break;
      }
      case Tag.F6_LEN: {
        if (depth >= K.MAX_VALUE_DEPTH) r.fail("array/kvlist values nested too deeply");
        const outer = enter(r);
        w.pos = start;
        w.byte(123); // {
        let count = 0;
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === Tag.F1_LEN) {
            const outer2 = enter(r);
            if (count++ !== 0) w.byte(44);
            writeKeyValue(r, w, depth + 1);
            r.end = outer2;
          } else {
            r.skip(t2, VALUES_FIELDS);
          }
        }
        w.byte(125); // }
        r.end = outer;
        set = true;
        break;
      }
      case Tag.F7_LEN: {
        const n = r.len();
        w.pos = start;
        w.byte(34);
        w.ascii7(base64(B, r.pos, r.pos + n));
        w.byte(34);
        r.pos += n;
        set = true;
        break;
      }
      default:
        r.skip(t, ANY_VALUE_FIELDS);
    }
  }
  if (!set) {
    w.pos = start;
    w.ascii7("null");
  }
}

/**
 * Writes the KeyValue in [r.pos, r.end) as `"key":value`. Keys are not truncated. Leaves r.pos at
 * r.end and the key / value byte ranges in kvKey* / kvValue*.
 */
function writeKeyValue(r: ProtoReader, w: JsonWriter, depth: number): void {
  const end = r.end;
  let ks = 0;
  let ke = 0;
  let vs = -1;
  let ve = -1;
  while (r.pos < end) {
    const t = r.tag();
    if (t === Tag.F1_LEN) {
      const n = r.len();
      ks = r.pos;
      ke = ks + n;
      r.pos = ke;
    } else if (t === Tag.F2_LEN) {
      const n = r.len();
      vs = r.pos;
      ve = vs + n;
      r.pos = ve;
    } else {
      r.skip(t, KEY_VALUE_FIELDS);
    }
  }
  w.utf8Json(B, V, ks, ke, Infinity);
  w.byte(58); // :
  if (vs < 0) {
    w.ascii7("null");
  } else {
    r.pos = vs;
    r.end = ve;
    writeAnyValue(r, w, depth);
    r.end = end;
    r.pos = end;
  }
  kvKeyStart = ks;
  kvKeyEnd = ke;
  kvValueStart = vs;
  kvValueEnd = ve;
}

/**
 * Writes the KeyValue message B[s, e) as `"key":value` (after a comma when `comma`). The common
 * encoding — key field, then a value field holding just a string_value, with lengths of at most two
 * bytes — is recognised and written in one step; anything else goes through the general reader.
 * Leaves r.pos / r.end as they were.
 */
function writeAttribute(r: ProtoReader, w: JsonWriter, s: number, e: number, comma: boolean): void {
  const b = B;
  if (s + 4 <= e && b[s] === 10) {
    const kl = b[s + 1];
    const ks = s + 2;
    const ke = ks + kl;
    if (kl < 0x80 && ke + 2 <= e && b[ke] === 18) {
      let p = ke + 1;
      let vl = b[p++];
      let ok = true;
      if (vl >= 0x80) {
        const c = b[p];
        if (p < e && c < 0x80) {
          vl = (vl & 0x7f) | (c << 7);
          p++;
        } else {
          ok = false;
        }
      }
      if (ok && p + vl === e) {
        if (vl >= 2 && b[p] === 10) {
          let q = p + 1;
          let sl = b[q++];
          if (sl >= 0x80) {
            const c = b[q];
            if (q < e && c < 0x80) {
              sl = (sl & 0x7f) | (c << 7);
              q++;
            } else {
              ok = false;
            }
          }
          if (ok && q + sl === e && sl <= maxValueLen) {
            w.stringPair(b, V, ks, ke, q, e, comma);
            return;
          }
        } else if (vl >= 2 && vl <= 5 && b[p] === 24) {
          // int_value below 2^28 (a varint of at most 4 bytes)
          let q = p + 1;
          let v = 0;
          let c = 0x80;
          for (let shift = 0; q < e && shift < 28; shift += 7) {
            c = b[q++];
            v |= (c & 0x7f) << shift;
            if (c < 0x80) break;
          }
          if (c < 0x80 && q === e) {
            w.key(b, V, ks, ke, comma);
            w.uint(v);
            return;
          }
        } else if (vl === 2 && b[p] === 16 && b[p + 1] < 2) {
          w.key(b, V, ks, ke, comma);
          w.ascii7(b[p + 1] === 1 ? "true" : "false");
          return;
        }
        // the key as is, the value through the reader
        if (comma) w.byte(44);
        w.utf8Json(b, V, ks, ke, Infinity);
        w.byte(58);
        const savedPos = r.pos;
        const savedEnd = r.end;
        r.pos = p;
        r.end = e;
        writeAnyValue(r, w, 0);
        r.pos = savedPos;
        r.end = savedEnd;
        return;
      }
    }
  }
  if (comma) w.byte(44);
  const savedPos = r.pos;
  const savedEnd = r.end;
  r.pos = s;
  r.end = e;
  writeKeyValue(r, w, 0);
  r.pos = savedPos;
  r.end = savedEnd;
}

/** Writes `{...}` of the repeated KeyValue field `tag` of the message [r.pos, r.end) (scanned from r.pos). */
function writeAttributesOf(r: ProtoReader, w: JsonWriter, tag: number, fields: MessageFields): void {
  w.byte(123);
  let count = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === tag) {
      const n = r.len();
      const s = r.pos;
      writeAttribute(r, w, s, s + n, count++ !== 0);
      r.pos = s + n;
    } else {
      r.skip(t, fields);
    }
  }
  w.byte(125);
}

const SERVICE_NAME = [115, 101, 114, 118, 105, 99, 101, 46, 110, 97, 109, 101]; // "service.name"

function isServiceNameKey(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 12) return false;
  for (let i = 0; i < 12; i++) if (b[s + i] !== SERVICE_NAME[i]) return false;
  return true;
}

/** The string of an AnyValue message [s, e) if its (last) value is a string_value, else null. */
function anyValueString(s: number, e: number): string | null {
  const r = new Reader(B);
  r.pos = s;
  r.end = e;
  let result: string | null = null;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F1_LEN) {
      const n = r.len();
      result = truncate(utf8Text(B, r.pos, r.pos + n), maxValueLen);
      r.pos += n;
    } else {
      if ((t >>> 3) >= 1 && (t >>> 3) <= 7) result = null;
      r.skipField(t, 0);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Messages

/** Resource in [r.pos, r.end): appends its attributes to resW, tracks service.name. */
function readResource(r: ProtoReader, count: number, service: { name: string | null }): number {
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F1_LEN) {
      const outer = enter(r);
      if (count++ !== 0) resW.byte(44);
      writeKeyValue(r, resW, 0);
      r.end = outer;
      if (isServiceNameKey(B, kvKeyStart, kvKeyEnd)) {
        service.name = kvValueStart < 0 ? null : anyValueString(kvValueStart, kvValueEnd);
      }
    } else {
      r.skip(t, RESOURCE_FIELDS);
    }
  }
  return count;
}

function readResourceSpans(r: ProtoReader): void {
  const start = r.pos;
  // Pass 1: the resource (normally first, but not necessarily).
  resW.reset();
  resW.byte(123);
  const service = { name: null as string | null };
  let count = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F1_LEN) {
      const outer = enter(r);
      count = readResource(r, count, service);
      r.end = outer;
    } else {
      r.skip(t, RESOURCE_SPANS_FIELDS);
    }
  }
  resW.byte(125);
  curResource = count === 0 ? "{}" : resW.text(0);
  curService = service.name ? service.name : UNKNOWN_SERVICE;
  // Pass 2: the scope spans.
  r.pos = start;
  let ssCount = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F2_LEN) {
      const outer = enter(r);
      ssIndex = ssCount++;
      readScopeSpans(r);
      ssIndex = -1;
      r.end = outer;
    } else {
      r.skip(t, RESOURCE_SPANS_FIELDS);
    }
  }
}

function readScopeSpans(r: ProtoReader): void {
  const start = r.pos;
  // Pass 1: the scope name.
  let scope = "";
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F1_LEN) {
      const outer = enter(r);
      while (r.pos < r.end) {
        const t2 = r.tag();
        if (t2 === Tag.F1_LEN) {
          const n = r.len();
          scope = nameText(B, V, r.pos, r.pos + n);
          r.pos += n;
        } else {
          r.skip(t2, SCOPE_FIELDS);
        }
      }
      r.end = outer;
    } else {
      r.skip(t, SCOPE_SPANS_FIELDS);
    }
  }
  curScope = scope;
  // Pass 2: the spans.
  r.pos = start;
  let spCount = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F2_LEN) {
      if (spanCount >= maxSpans) throw new TooManySpansError(spanCount + 1, maxSpans, false);
      const outer = enter(r);
      spanCount++;
      spIndex = spCount++;
      readSpan(r);
      spIndex = -1;
      r.end = outer;
    } else {
      r.skip(t, SCOPE_SPANS_FIELDS);
    }
  }
}

function reject(reason: string): void {
  if (rejected++ === 0) rejectionMessage = `span ${spanCount - 1}: ${reason}`;
}

// Accepted spans whose attribute text is still in attrW (see flushAttributes).
const pendingIndex = new Int32Array(K.ATTR_GROUP);
const pendingStart = new Int32Array(K.ATTR_GROUP);
const pendingEnd = new Int32Array(K.ATTR_GROUP);
const pendingAscii = new Uint8Array(K.ATTR_GROUP);
let pendingCount = 0;

// Status of the span being read (set by readStatus).
let statusMsgS = 0;
let statusMsgN = 0;
let statusCode = 0;

/** Status in [r.pos, r.end). A repeated status merges into the previous one, as protobuf does. */
function readStatus(r: ProtoReader): void {
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F2_LEN) {
      statusMsgN = r.len();
      statusMsgS = r.pos;
      r.pos += statusMsgN;
    } else if (t === Tag.F3_VARINT) {
      statusCode = r.int32();
    } else {
      r.skip(t, STATUS_FIELDS);
    }
  }
}

/**
 * Span in [r.pos, r.end). The hot loop keeps the position in a local and reads one-byte tags and
 * lengths inline; anything longer or unusual goes through the reader, which does all bounds checks.
 */
function readSpan(r: ProtoReader): void {
  const b = B;
  const v = V;
  const end = r.end;
  let pos = r.pos;
  let traceS = 0;
  let traceN = 0;
  let spanS = 0;
  let spanN = 0;
  let parentS = 0;
  let parentN = 0;
  let nameS = 0;
  let nameN = 0;
  let kind = 0;
  let startLo = 0;
  let startHi = 0;
  let endLo = 0;
  let endHi = 0;
  let nAttrs = 0;
  let nEvents = 0;
  let nLinks = 0;
  statusMsgS = 0;
  statusMsgN = 0;
  statusCode = 0;
  const w = attrW;
  const attrStart = w.pos;
  w.ascii = true;
  w.byte(123);
  while (pos < end) {
    const tagAt = pos;
    let t = b[pos];
    if (t < 0x80) {
      pos++;
    } else {
      r.pos = pos;
      t = r.tag();
      pos = r.pos;
    }
    if (t === Tag.F9_LEN && pos < end && b[pos] < 0x80 && b[pos] < end - pos) {
      // an attribute with a one-byte length: the most common field by far
      const s = pos + 1;
      pos = s + b[pos];
      writeAttribute(r, w, s, pos, nAttrs++ !== 0);
    } else if ((t & 7) === Wire.LEN) {
      let n = pos < end ? b[pos] : 0x80;
      if (n < 0x80 && n < end - pos) {
        pos++;
      } else {
        r.pos = pos;
        n = r.len();
        pos = r.pos;
      }
      const s = pos;
      pos += n;
      switch (t) {
        case Tag.F9_LEN:
          writeAttribute(r, w, s, pos, nAttrs++ !== 0);
          break;
        case Tag.F1_LEN:
          traceS = s;
          traceN = n;
          break;
        case Tag.F2_LEN:
          spanS = s;
          spanN = n;
          break;
        case Tag.F4_LEN:
          parentS = s;
          parentN = n;
          break;
        case Tag.F5_LEN:
          nameS = s;
          nameN = n;
          break;
        case Tag.F3_LEN: // trace_state: not kept
          break;
        case Tag.F11_LEN:
          if (nEvents++ === 0) eventW.reset();
          eventW.byte(nEvents === 1 ? 91 : 44);
          r.pos = s;
          r.end = pos;
          writeEvent(r);
          r.end = end;
          break;
        case Tag.F13_LEN:
          if (nLinks++ === 0) linkW.reset();
          linkW.byte(nLinks === 1 ? 91 : 44);
          r.pos = s;
          r.end = pos;
          writeLink(r);
          r.end = end;
          break;
        case Tag.F15_LEN:
          r.pos = s;
          r.end = pos;
          readStatus(r);
          r.end = end;
          break;
        default:
          r.checkSkippedLen(t, SPAN_FIELDS, tagAt);
      }
    } else if (t === Tag.F7_I64 || t === Tag.F8_I64) {
      if (end - pos < 8) {
        r.pos = pos;
        r.fail("truncated fixed64");
      }
      if (t === Tag.F7_I64) {
        startLo = v.getUint32(pos, true);
        startHi = v.getUint32(pos + 4, true);
      } else {
        endLo = v.getUint32(pos, true);
        endHi = v.getUint32(pos + 4, true);
      }
      pos += 8;
    } else if ((t & 7) === Wire.VARINT && t < 0x80 && SPAN_VARINT_OK[t >>> 3] === 1 && pos < end && b[pos] < 0x80) {
      // one-byte varint: kind, or a dropped_*_count (not kept)
      if (t === Tag.F6_VARINT) kind = b[pos];
      pos++;
    } else if (t === Tag.F16_I32 && end - pos >= 4) {
      pos += 4; // flags: not kept
    } else {
      r.pos = pos;
      if (t === Tag.F6_VARINT) kind = r.int32();
      else r.skip(t, SPAN_FIELDS);
      pos = r.pos;
    }
  }
  r.pos = pos;

  // Validation: a bad span is rejected, not the request.
  splitNs(startLo, startHi);
  const sq = T.q;
  const sr = T.r;
  splitNs(endLo, endHi);
  const eq = T.q;
  const er = T.r;
  let reason = "";
  if (traceN !== 16) reason = `trace_id must be 16 bytes, got ${traceN}`;
  else if (allZero(b, traceS, traceS + 16)) reason = "trace_id must not be all zeros";
  else if (spanN !== 8) reason = `span_id must be 8 bytes, got ${spanN}`;
  else if (allZero(b, spanS, spanS + 8)) reason = "span_id must not be all zeros";
  else if (parentN !== 0 && parentN !== 8) reason = `parent_span_id must be 8 bytes or empty, got ${parentN}`;
  else if (eq < sq || (eq === sq && er < sr)) {
    reason = `end before start (end_time_unix_nano ${nsText(eq, er)} < start_time_unix_nano ${nsText(sq, sr)})`;
  }
  if (reason !== "") {
    w.pos = attrStart;
    return reject(reason);
  }

  let attributes = "{}";
  if (nAttrs === 0) {
    w.pos = attrStart;
  } else {
    w.byte(125);
    attributes = "";
    const k = pendingCount++;
    pendingIndex[k] = out.length;
    pendingStart[k] = attrStart;
    pendingEnd[k] = w.pos;
    pendingAscii[k] = w.ascii ? 1 : 0;
  }
  if (nEvents !== 0) eventW.byte(93);
  if (nLinks !== 0) linkW.byte(93);
  const code = statusCode;
  out.push({
    traceId: traceHex(b, v, traceS),
    spanId: hex8(b, spanS),
    parentSpanId: parentN === 0 ? "" : parentHex(b, v, parentS),
    service: curService,
    name: nameText(b, v, nameS, nameS + nameN),
    kind: kind >= 0 && kind <= 5 ? kind : 0,
    startMs: msOf(sq, sr),
    durationMs: durationMsOf(sq, sr, eq, er),
    statusCode: code >= 0 && code <= 2 ? code : 0,
    statusMessage: statusMsgN === 0 ? "" : utf8Text(b, statusMsgS, statusMsgS + statusMsgN),
    attributes,
    resource: curResource,
    scope: curScope,
    events: nEvents === 0 ? "[]" : eventW.text(0),
    links: nLinks === 0 ? "[]" : linkW.text(0),
  });
  if (pendingCount === K.ATTR_GROUP) flushAttributes();
}

/**
 * Span attribute texts are made K.ATTR_GROUP (16) spans at a time: one native decode of the group's
 * bytes, then one substring per span (measured: a native call per span cost about 20% of the whole
 * decode). V8 keeps such substrings as slices of the group string, so holding one record's
 * attributes holds the text of at most 16 spans; a non-ASCII text is decoded on its own.
 */
function flushAttributes(): void {
  const n = pendingCount;
  if (n === 0) return;
  pendingCount = 0;
  const w = attrW;
  const buf = w.buf;
  const gs = pendingStart[0];
  if (n === 1) {
    out[pendingIndex[0]].attributes = pendingAscii[0] === 1 ? asciiText(buf, gs, pendingEnd[0]) : utf8Text(buf, gs, pendingEnd[0]);
  } else {
    const group = asciiText(buf, gs, pendingEnd[n - 1]);
    for (let k = 0; k < n; k++) {
      const s = pendingStart[k];
      const e = pendingEnd[k];
      out[pendingIndex[k]].attributes = pendingAscii[k] === 1 ? group.slice(s - gs, e - gs) : utf8Text(buf, s, e);
    }
  }
  w.reset();
}

/** Span.Event in [r.pos, r.end) → `{"timeMs":…,"name":…,"attributes":{…}}` into eventW. */
function writeEvent(r: ProtoReader): void {
  const start = r.pos;
  let lo = 0;
  let hi = 0;
  let nameS = 0;
  let nameE = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F1_I64) {
      r.fixed64();
      lo = r.lo;
      hi = r.hi;
    } else if (t === Tag.F2_LEN) {
      const n = r.len();
      nameS = r.pos;
      nameE = nameS + n;
      r.pos = nameE;
    } else {
      r.skip(t, EVENT_FIELDS);
    }
  }
  splitNs(lo, hi);
  eventW.ascii7('{"timeMs":');
  eventW.ascii7(String(msOf(T.q, T.r)));
  eventW.ascii7(',"name":');
  eventW.utf8Json(B, V, nameS, nameE, Infinity);
  eventW.ascii7(',"attributes":');
  r.pos = start;
  writeAttributesOf(r, eventW, Tag.F3_LEN, EVENT_FIELDS);
  eventW.byte(125);
}

/** Span.Link in [r.pos, r.end) → `{"traceId":hex,"spanId":hex,"attributes":{…}}` into linkW. */
function writeLink(r: ProtoReader): void {
  const start = r.pos;
  let traceS = 0;
  let traceE = 0;
  let spanS = 0;
  let spanE = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === Tag.F1_LEN) {
      const n = r.len();
      traceS = r.pos;
      traceE = traceS + n;
      r.pos = traceE;
    } else if (t === Tag.F2_LEN) {
      const n = r.len();
      spanS = r.pos;
      spanE = spanS + n;
      r.pos = spanE;
    } else {
      r.skip(t, LINK_FIELDS);
    }
  }
  linkW.ascii7('{"traceId":"');
  linkW.ascii7(hexAny(B, traceS, traceE));
  linkW.ascii7('","spanId":"');
  linkW.ascii7(hexAny(B, spanS, spanE));
  linkW.ascii7('","attributes":');
  r.pos = start;
  writeAttributesOf(r, linkW, Tag.F4_LEN, LINK_FIELDS);
  linkW.byte(125);
}

function location(): string {
  if (rsIndex < 0) return "ExportTraceServiceRequest";
  let s = `resource_spans[${rsIndex}]`;
  if (ssIndex >= 0) s += `.scope_spans[${ssIndex}]`;
  if (spIndex >= 0) s += `.spans[${spIndex}] (span ${spanCount - 1})`;
  return s;
}

/** Counts the spans of a request by walking its structure (no decoding); -1 when malformed. */
function countSpans(body: Uint8Array): number {
  try {
    const r = new Reader(body);
    let n = 0;
    while (r.pos < r.end) {
      const t = r.tag();
      if (t !== Tag.F1_LEN) {
        r.skipField(t, 0);
        continue;
      }
      const o1 = enter(r);
      while (r.pos < r.end) {
        const t1 = r.tag();
        if (t1 !== Tag.F2_LEN) {
          r.skipField(t1, 0);
          continue;
        }
        const o2 = enter(r);
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === Tag.F2_LEN) n++;
          r.skipField(t2, 0);
        }
        r.end = o2;
      }
      r.end = o1;
    }
    return n;
  } catch {
    return -1;
  }
}

/**
 * Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest body (already decompressed).
 * Throws OtlpDecodeError (→ 400) for a malformed body, TooManySpansError (→ 413) past limits.maxSpans.
 */
export function decodeTracesProto(body: Uint8Array, limits: DecodeLimits): DecodeResult {
  const buf = asBuffer(body);
  const r = new Reader(buf);
  B = buf;
  V = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  maxValueLen = maxLen(limits.maxAttributeValueLength);
  maxSpans = limits.maxSpans;
  const spans: SpanRecord[] = [];
  out = spans;
  spanCount = 0;
  rejected = 0;
  rejectionMessage = "";
  rsIndex = -1;
  ssIndex = -1;
  spIndex = -1;
  lastTraceHex = "";
  lastParentHex = null;
  pendingCount = 0;
  attrW.reset();
  let rsCount = 0;
  try {
    while (r.pos < r.end) {
      const t = r.tag();
      if (t === Tag.F1_LEN) {
        const outer = enter(r);
        rsIndex = rsCount++;
        readResourceSpans(r);
        rsIndex = -1;
        r.end = outer;
      } else {
        r.skip(t, REQUEST_FIELDS);
      }
    }
    flushAttributes();
    return { spans, rejectedSpans: rejected, rejectionMessage };
  } catch (err) {
    if (err instanceof TooManySpansError) {
      const n = countSpans(buf);
      if (n > maxSpans) throw new TooManySpansError(n, maxSpans, true);
      throw err;
    }
    if (err instanceof OtlpDecodeError) throw new OtlpDecodeError(`${location()}: ${err.message}`);
    throw err;
  } finally {
    pendingCount = 0;
    out = [];
    B = EMPTY;
    V = EMPTY_VIEW;
    attrW.trim();
    eventW.trim();
    linkW.trim();
    resW.trim();
  }
}
