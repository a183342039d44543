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
 */
import type { SpanRecord } from "../../lib/ingest/span-record";
import {
  T,
  UNKNOWN_SERVICE,
  allZero,
  asBuffer,
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
} from "./decode-common";
import { type DecodeLimits, type DecodeResult, OtlpDecodeError, TooManySpansError } from "./decode-types";
import { JsonWriter } from "./json-writer";
import { ProtoReader, messageFields, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from "./proto-reader";

// Field tables (for wire-type checks of known fields that this decoder skips or meets out of place).
const REQUEST_FIELDS = messageFields("ExportTraceServiceRequest", { 1: ["resource_spans", WIRE_LEN] });
const RESOURCE_SPANS_FIELDS = messageFields("ResourceSpans", {
  1: ["resource", WIRE_LEN],
  2: ["scope_spans", WIRE_LEN],
  3: ["schema_url", WIRE_LEN],
});
const RESOURCE_FIELDS = messageFields("Resource", {
  1: ["attributes", WIRE_LEN],
  2: ["dropped_attributes_count", WIRE_VARINT],
});
const SCOPE_SPANS_FIELDS = messageFields("ScopeSpans", {
  1: ["scope", WIRE_LEN],
  2: ["spans", WIRE_LEN],
  3: ["schema_url", WIRE_LEN],
});
const SCOPE_FIELDS = messageFields("InstrumentationScope", {
  1: ["name", WIRE_LEN],
  2: ["version", WIRE_LEN],
  3: ["attributes", WIRE_LEN],
  4: ["dropped_attributes_count", WIRE_VARINT],
});
const SPAN_FIELDS = messageFields("Span", {
  1: ["trace_id", WIRE_LEN],
  2: ["span_id", WIRE_LEN],
  3: ["trace_state", WIRE_LEN],
  4: ["parent_span_id", WIRE_LEN],
  5: ["name", WIRE_LEN],
  6: ["kind", WIRE_VARINT],
  7: ["start_time_unix_nano", WIRE_I64],
  8: ["end_time_unix_nano", WIRE_I64],
  9: ["attributes", WIRE_LEN],
  10: ["dropped_attributes_count", WIRE_VARINT],
  11: ["events", WIRE_LEN],
  12: ["dropped_events_count", WIRE_VARINT],
  13: ["links", WIRE_LEN],
  14: ["dropped_links_count", WIRE_VARINT],
  15: ["status", WIRE_LEN],
  16: ["flags", WIRE_I32],
});
const EVENT_FIELDS = messageFields("Span.Event", {
  1: ["time_unix_nano", WIRE_I64],
  2: ["name", WIRE_LEN],
  3: ["attributes", WIRE_LEN],
  4: ["dropped_attributes_count", WIRE_VARINT],
});
const LINK_FIELDS = messageFields("Span.Link", {
  1: ["trace_id", WIRE_LEN],
  2: ["span_id", WIRE_LEN],
  3: ["trace_state", WIRE_LEN],
  4: ["attributes", WIRE_LEN],
  5: ["dropped_attributes_count", WIRE_VARINT],
  6: ["flags", WIRE_I32],
});
const STATUS_FIELDS = messageFields("Status", { 2: ["message", WIRE_LEN], 3: ["code", WIRE_VARINT] });
const KEY_VALUE_FIELDS = messageFields("KeyValue", { 1: ["key", WIRE_LEN], 2: ["value", WIRE_LEN] });
const ANY_VALUE_FIELDS = messageFields("AnyValue", {
  1: ["string_value", WIRE_LEN],
  2: ["bool_value", WIRE_VARINT],
  3: ["int_value", WIRE_VARINT],
  4: ["double_value", WIRE_I64],
  5: ["array_value", WIRE_LEN],
  6: ["kvlist_value", WIRE_LEN],
  7: ["bytes_value", WIRE_LEN],
});
const VALUES_FIELDS = messageFields("ArrayValue/KeyValueList", { 1: ["values", WIRE_LEN] });

/** Nesting limit for array / kvlist values (keeps recursion bounded on hostile input). */
const MAX_VALUE_DEPTH = 32;

// Tags ((field << 3) | wire type) of the fields read on the hot path.
const TAG_1_LEN = 10;
const TAG_2_LEN = 18;
const TAG_3_LEN = 26;
const TAG_4_LEN = 34;
const TAG_5_LEN = 42;
const TAG_6_LEN = 50;
const TAG_7_LEN = 58;
const TAG_1_I64 = 9;
const TAG_2_VARINT = 16;
const TAG_3_VARINT = 24;
const TAG_4_I64 = 33;
const TAG_6_VARINT = 48;
const TAG_7_I64 = 57;
const TAG_8_I64 = 65;
const TAG_9_LEN = 74;
const TAG_11_LEN = 90;
const TAG_13_LEN = 106;
const TAG_15_LEN = 122;

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
let lastTraceHex = "";

// Interned span / scope names: direct-mapped cache of ASCII names.
const NAME_CACHE_SIZE = 1024;
const NAME_CACHE_MAX_LEN = 96;
const nameCache: string[] = new Array(NAME_CACHE_SIZE).fill("");

function nameText(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n === 0) return "";
  if (n > NAME_CACHE_MAX_LEN) return utf8Text(b, s, e);
  let h = 0x811c9dc5;
  let or = 0;
  for (let i = s; i < e; i++) {
    const c = b[i];
    or |= c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (or >= 0x80) return utf8Text(b, s, e);
  const slot = (h ^ (h >>> 16)) & (NAME_CACHE_SIZE - 1);
  const cached = nameCache[slot];
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === b[s + i]) i++;
    if (i === n) return cached;
  }
  const str = utf8Text(b, s, e);
  nameCache[slot] = str;
  return str;
}

function traceHex(b: Uint8Array, s: number): string {
  const last = lastTraceBytes;
  let i = 0;
  while (i < 16 && last[i] === b[s + i]) i++;
  if (i === 16 && lastTraceHex !== "") return lastTraceHex;
  for (let j = 0; j < 16; j++) last[j] = b[s + j];
  lastTraceHex = hex16(b, s);
  return lastTraceHex;
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
      case TAG_1_LEN: {
        const n = r.len();
        w.pos = start;
        w.utf8Json(B, V, r.pos, r.pos + n, maxValueLen);
        r.pos += n;
        set = true;
        break;
      }
      case TAG_2_VARINT:
        r.varint64();
        w.pos = start;
        w.ascii7(r.lo !== 0 || r.hi !== 0 ? "true" : "false");
        set = true;
        break;
      case TAG_3_VARINT:
        r.varint64();
        w.pos = start;
        w.ascii7(int64Text(r.lo, r.hi));
        set = true;
        break;
      case TAG_4_I64: {
        const d = r.double();
        w.pos = start;
        w.ascii7(doubleText(d));
        set = true;
        break;
      }
      case TAG_5_LEN: {
        if (depth >= MAX_VALUE_DEPTH) r.fail("array/kvlist values nested too deeply");
        const outer = enter(r);
        w.pos = start;
        w.byte(91); // [
        let count = 0;
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === TAG_1_LEN) {
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
      case TAG_6_LEN: {
        if (depth >= MAX_VALUE_DEPTH) r.fail("array/kvlist values nested too deeply");
        const outer = enter(r);
        w.pos = start;
        w.byte(123); // {
        let count = 0;
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === TAG_1_LEN) {
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
      case TAG_7_LEN: {
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
    if (t === TAG_1_LEN) {
      const n = r.len();
      ks = r.pos;
      ke = ks + n;
      r.pos = ke;
    } else if (t === TAG_2_LEN) {
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

/** Writes `{...}` of the repeated KeyValue field `tag` of the message [r.pos, r.end) (scanned from r.pos). */
function writeAttributesOf(r: ProtoReader, w: JsonWriter, tag: number, fields: typeof SPAN_FIELDS): void {
  w.byte(123);
  let count = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === tag) {
      const outer = enter(r);
      if (count++ !== 0) w.byte(44);
      writeKeyValue(r, w, 0);
      r.end = outer;
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
  const r = new ProtoReader(B);
  r.pos = s;
  r.end = e;
  let result: string | null = null;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === TAG_1_LEN) {
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
    if (t === TAG_1_LEN) {
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
    if (t === TAG_1_LEN) {
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
  ssIndex = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === TAG_2_LEN) {
      const outer = enter(r);
      readScopeSpans(r);
      r.end = outer;
      ssIndex++;
    } else {
      r.skip(t, RESOURCE_SPANS_FIELDS);
    }
  }
  ssIndex = -1;
}

function readScopeSpans(r: ProtoReader): void {
  const start = r.pos;
  // Pass 1: the scope name.
  let scope = "";
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === TAG_1_LEN) {
      const outer = enter(r);
      while (r.pos < r.end) {
        const t2 = r.tag();
        if (t2 === TAG_1_LEN) {
          const n = r.len();
          scope = nameText(B, r.pos, r.pos + n);
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
  spIndex = 0;
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === TAG_2_LEN) {
      if (++spanCount > maxSpans) throw new TooManySpansError(spanCount, maxSpans, false);
      const outer = enter(r);
      readSpan(r);
      r.end = outer;
      spIndex++;
    } else {
      r.skip(t, SCOPE_SPANS_FIELDS);
    }
  }
  spIndex = -1;
}

function reject(reason: string): void {
  if (rejected++ === 0) rejectionMessage = `span ${spanCount - 1}: ${reason}`;
}

function readSpan(r: ProtoReader): void {
  const b = B;
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
  let msgS = 0;
  let msgN = 0;
  let code = 0;
  let nAttrs = 0;
  let nEvents = 0;
  let nLinks = 0;
  attrW.reset();
  attrW.byte(123);
  while (r.pos < r.end) {
    const t = r.tag();
    switch (t) {
      case TAG_1_LEN:
        traceN = r.len();
        traceS = r.pos;
        r.pos += traceN;
        break;
      case TAG_2_LEN:
        spanN = r.len();
        spanS = r.pos;
        r.pos += spanN;
        break;
      case TAG_4_LEN:
        parentN = r.len();
        parentS = r.pos;
        r.pos += parentN;
        break;
      case TAG_5_LEN:
        nameN = r.len();
        nameS = r.pos;
        r.pos += nameN;
        break;
      case TAG_6_VARINT:
        kind = r.int32();
        break;
      case TAG_7_I64:
        r.fixed64();
        startLo = r.lo;
        startHi = r.hi;
        break;
      case TAG_8_I64:
        r.fixed64();
        endLo = r.lo;
        endHi = r.hi;
        break;
      case TAG_9_LEN: {
        const outer = enter(r);
        if (nAttrs++ !== 0) attrW.byte(44);
        writeKeyValue(r, attrW, 0);
        r.end = outer;
        break;
      }
      case TAG_11_LEN: {
        const outer = enter(r);
        if (nEvents++ === 0) eventW.reset();
        eventW.byte(nEvents === 1 ? 91 : 44);
        writeEvent(r);
        r.end = outer;
        break;
      }
      case TAG_13_LEN: {
        const outer = enter(r);
        if (nLinks++ === 0) linkW.reset();
        linkW.byte(nLinks === 1 ? 91 : 44);
        writeLink(r);
        r.end = outer;
        break;
      }
      case TAG_15_LEN: {
        // Status; a repeated occurrence merges into the previous one, as protobuf does
        const outer = enter(r);
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === TAG_2_LEN) {
            msgN = r.len();
            msgS = r.pos;
            r.pos += msgN;
          } else if (t2 === TAG_3_VARINT) {
            code = r.int32();
          } else {
            r.skip(t2, STATUS_FIELDS);
          }
        }
        r.end = outer;
        break;
      }
      default:
        r.skip(t, SPAN_FIELDS);
    }
  }

  // Validation: a bad span is rejected, not the request.
  if (traceN !== 16) return reject(`trace_id must be 16 bytes, got ${traceN}`);
  if (allZero(b, traceS, traceS + 16)) return reject("trace_id must not be all zeros");
  if (spanN !== 8) return reject(`span_id must be 8 bytes, got ${spanN}`);
  if (allZero(b, spanS, spanS + 8)) return reject("span_id must not be all zeros");
  if (parentN !== 0 && parentN !== 8) return reject(`parent_span_id must be 8 bytes or empty, got ${parentN}`);
  splitNs(startLo, startHi);
  const sq = T.q;
  const sr = T.r;
  splitNs(endLo, endHi);
  const eq = T.q;
  const er = T.r;
  if (eq < sq || (eq === sq && er < sr)) {
    return reject(`end before start (end_time_unix_nano ${nsText(eq, er)} < start_time_unix_nano ${nsText(sq, sr)})`);
  }

  attrW.byte(125);
  if (nEvents !== 0) eventW.byte(93);
  if (nLinks !== 0) linkW.byte(93);
  out.push({
    traceId: traceHex(b, traceS),
    spanId: hex8(b, spanS),
    parentSpanId: parentN === 0 || allZero(b, parentS, parentS + 8) ? "" : hex8(b, parentS),
    service: curService,
    name: nameText(b, nameS, nameS + nameN),
    kind: kind >= 0 && kind <= 5 ? kind : 0,
    startMs: msOf(sq, sr),
    durationMs: durationMsOf(sq, sr, eq, er),
    statusCode: code >= 0 && code <= 2 ? code : 0,
    statusMessage: msgN === 0 ? "" : utf8Text(b, msgS, msgS + msgN),
    attributes: nAttrs === 0 ? "{}" : attrW.text(0),
    resource: curResource,
    scope: curScope,
    events: nEvents === 0 ? "[]" : eventW.text(0),
    links: nLinks === 0 ? "[]" : linkW.text(0),
  });
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
    if (t === TAG_1_I64) {
      r.fixed64();
      lo = r.lo;
      hi = r.hi;
    } else if (t === TAG_2_LEN) {
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
  writeAttributesOf(r, eventW, TAG_3_LEN, EVENT_FIELDS);
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
    if (t === TAG_1_LEN) {
      const n = r.len();
      traceS = r.pos;
      traceE = traceS + n;
      r.pos = traceE;
    } else if (t === TAG_2_LEN) {
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
  writeAttributesOf(r, linkW, TAG_4_LEN, LINK_FIELDS);
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
    const r = new ProtoReader(body);
    let n = 0;
    while (r.pos < r.end) {
      const t = r.tag();
      if (t !== TAG_1_LEN) {
        r.skipField(t, 0);
        continue;
      }
      const o1 = enter(r);
      while (r.pos < r.end) {
        const t1 = r.tag();
        if (t1 !== TAG_2_LEN) {
          r.skipField(t1, 0);
          continue;
        }
        const o2 = enter(r);
        while (r.pos < r.end) {
          const t2 = r.tag();
          if (t2 === TAG_2_LEN) n++;
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
  const r = new ProtoReader(buf);
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
  let rsCount = 0;
  try {
    while (r.pos < r.end) {
      const t = r.tag();
      if (t === TAG_1_LEN) {
        rsIndex = rsCount++;
        const outer = enter(r);
        readResourceSpans(r);
        r.end = outer;
        rsIndex = -1;
      } else {
        r.skip(t, REQUEST_FIELDS);
      }
    }
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
    out = [];
    B = EMPTY;
    V = EMPTY_VIEW;
    attrW.trim();
    eventW.trim();
    linkW.trim();
    resW.trim();
  }
}
