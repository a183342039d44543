/**
 * OTLP/HTTP JSON trace request decoder: ExportTraceServiceRequest JSON text → SpanRecord[].
 *
 * OTLP/JSON is the proto3 JSON mapping with OTLP's deviations: field names in lowerCamelCase (the
 * original snake_case names are accepted too), trace / span ids as hex strings (not base64), enum
 * fields as integers, 64-bit integers as decimal strings or JSON numbers. Unknown fields are ignored.
 * The records are identical to what decode-proto.ts makes of the same spans.
 */
import type { SpanRecord } from "../../lib/ingest/span-record";
import * as common from "./decode-common";
import { type DecodeLimits, type DecodeResult, OtlpDecodeError, TooManySpansError } from "./decode-types";

// Imported bindings are copied to module constants once: under CommonJS interop (tsx, vitest, some
// bundlers) each use of an imported binding is a getter call, which is costly in the hot loops.
const {
  T,
  UNKNOWN_SERVICE,
  doubleTextJson,
  durationMsOf,
  hexAllZero,
  int64TextJson,
  jsonQuote,
  maxLen,
  msOf,
  normalizeBase64,
  normalizeHex,
  nsText,
  splitNsJson,
  truncate,
} = common;

type Obj = Record<string, unknown>;

/** Nesting limit for array / kvlist values. */
const MAX_VALUE_DEPTH = 32;

let maxValueLen = 0;

// Where we are, for error messages.
let rsIndex = -1;
let ssIndex = -1;
let spIndex = -1;
let spanNo = -1;

class ShapeError extends Error {}

function fail(message: string): never {
  throw new ShapeError(message);
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Field by its lowerCamelCase name, else by its original proto name; null counts as absent. */
function get(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  if (v !== undefined && v !== null) return v;
  const w = o[snake];
  return w === null ? undefined : w;
}

/** A repeated field: undefined / null → null, an array → the array, anything else → error. */
function arrayOf(o: Obj, camel: string, snake: string, what: string): unknown[] | null {
  const v = get(o, camel, snake);
  if (v === undefined) return null;
  if (!Array.isArray(v)) fail(`${what}${camel} must be an array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (v === undefined) return "";
  if (typeof v !== "string") fail(`${what} must be a string`);
  return v;
}

/** An int32 / enum field: JSON number (or decimal string) holding an integer. */
function int32(v: unknown, what: string): number {
  if (v === undefined) return 0;
  let n = v;
  if (typeof v === "string" && /^-?\d{1,10}$/.test(v)) n = Number(v);
  if (typeof n !== "number" || !Number.isInteger(n) || n < -2147483648 || n > 4294967295) {
    fail(`${what} must be an integer (enum values are numbers in OTLP/JSON)`);
  }
  return n | 0;
}

// ---------------------------------------------------------------------------------------------
// Values → JSON text (same mapping as the protobuf decoder, see decode-common.ts)

/**
 * Path of an AnyValue for messages, built only when one is needed: `${what}[${index}].value` for the
 * value of the index-th KeyValue of `what`, `${what}[${index}]` for an array element.
 */
function valuePath(what: string, index: number, element: boolean): string {
  return element ? `${what}[${index}]` : `${what}[${index}].value`;
}

function anyText(v: unknown, what: string, index: number, element: boolean, depth: number): string {
  if (v === undefined || v === null) return "null";
  if (!isObj(v)) fail(`${valuePath(what, index, element)} must be an AnyValue object`);
  let x = v.stringValue;
  if (x === undefined || x === null) x = v.string_value;
  if (x !== undefined && x !== null) {
    if (typeof x !== "string") fail(`${valuePath(what, index, element)}.stringValue must be a string`);
    return jsonQuote(x.length > maxValueLen ? truncate(x, maxValueLen) : x);
  }
  x = get(v, "intValue", "int_value");
  if (x !== undefined) {
    const t = int64TextJson(x);
    if (t === null) fail(`${valuePath(what, index, element)}.intValue must be an int64 (decimal string or integer number), got ${JSON.stringify(x)}`);
    return t;
  }
  x = get(v, "boolValue", "bool_value");
  if (x !== undefined) {
    if (typeof x !== "boolean") fail(`${valuePath(what, index, element)}.boolValue must be true or false`);
    return x ? "true" : "false";
  }
  x = get(v, "doubleValue", "double_value");
  if (x !== undefined) {
    const t = doubleTextJson(x);
    if (t === null) {
      fail(`${valuePath(what, index, element)}.doubleValue must be a number, "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(x)}`);
    }
    return t;
  }
  x = get(v, "arrayValue", "array_value");
  if (x !== undefined) {
    const path = valuePath(what, index, element);
    if (!isObj(x)) fail(`${path}.arrayValue must be an object`);
    if (depth >= MAX_VALUE_DEPTH) fail(`${path}: array/kvlist values nested too deeply`);
    const values = arrayOf(x, "values", "values", `${path}.arrayValue.`);
    if (values === null || values.length === 0) return "[]";
    const elements = `${path}.arrayValue.values`;
    let s = "[";
    for (let i = 0; i < values.length; i++) {
      if (i !== 0) s += ",";
      s += anyText(values[i], elements, i, true, depth + 1);
    }
    return s + "]";
  }
  x = get(v, "kvlistValue", "kvlist_value");
  if (x !== undefined) {
    const path = valuePath(what, index, element);
    if (!isObj(x)) fail(`${path}.kvlistValue must be an object`);
    if (depth >= MAX_VALUE_DEPTH) fail(`${path}: array/kvlist values nested too deeply`);
    const values = arrayOf(x, "values", "values", `${path}.kvlistValue.`);
    return keyValuesText(values, `${path}.kvlistValue.values`, depth + 1);
  }
  x = get(v, "bytesValue", "bytes_value");
  if (x !== undefined) {
    if (typeof x !== "string") fail(`${valuePath(what, index, element)}.bytesValue must be a base64 string`);
    const b64 = normalizeBase64(x);
    if (b64 === null) fail(`${valuePath(what, index, element)}.bytesValue is not valid base64`);
    return '"' + b64 + '"';
  }
  return "null";
}

/** `{...}` of a repeated KeyValue field (`what` names it in messages). */
function keyValuesText(kvs: unknown[] | null, what: string, depth: number): string {
  if (kvs === null || kvs.length === 0) return "{}";
  let s = "{";
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i];
    if (!isObj(kv)) fail(`${what}[${i}] must be a KeyValue object`);
    const key = kv.key;
    if (i !== 0) s += ",";
    if (key === undefined || key === null) s += '""';
    else if (typeof key === "string") s += jsonQuote(key);
    else fail(`${what}[${i}].key must be a string`);
    s += ":";
    s += anyText(kv.value, what, i, false, depth);
  }
  return s + "}";
}

function attributesText(o: Obj, camelPrefix: string, what: string): string {
  const kvs = arrayOf(o, "attributes", "attributes", camelPrefix);
  return keyValuesText(kvs, `${what}attributes`, 0);
}

// ---------------------------------------------------------------------------------------------
// Messages

interface Ctx {
  out: SpanRecord[];
  rejected: number;
  rejectionMessage: string;
  service: string;
  resource: string;
  scope: string;
}

function reject(ctx: Ctx, reason: string): void {
  if (ctx.rejected++ === 0) ctx.rejectionMessage = `span ${spanNo}: ${reason}`;
}

/** Validates a hex id; returns the lowercase id, or a rejection reason prefixed with "!". */
function idOf(v: unknown, field: string, camel: string, bytes: number): string {
  if (v === undefined) return `!${field} must be ${bytes} bytes, got 0`;
  if (typeof v !== "string") fail(`${camel} must be a hex string`);
  const hex = normalizeHex(v);
  if (hex === null) return `!${field} is not a valid hex string`;
  if (hex.length !== bytes * 2) return `!${field} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (hexAllZero(hex)) return `!${field} must not be all zeros`;
  return hex;
}

function eventsText(span: Obj): string {
  const events = arrayOf(span, "events", "events", "");
  if (events === null || events.length === 0) return "[]";
  let s = "[";
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    const what = `events[${i}]`;
    if (!isObj(ev)) fail(`${what} must be an object`);
    const time = get(ev, "timeUnixNano", "time_unix_nano");
    if (time === undefined) {
      T.q = 0;
      T.r = 0;
    } else if (!splitNsJson(time)) {
      fail(`${what}.timeUnixNano must be a uint64 (decimal string or integer number)`);
    }
    if (i !== 0) s += ",";
    s += '{"timeMs":' + String(msOf(T.q, T.r));
    s += ',"name":' + jsonQuote(str(ev.name, `${what}.name`));
    s += ',"attributes":' + attributesText(ev, `${what}.`, `${what}.`) + "}";
  }
  return s + "]";
}

/** Links text, or a rejection reason prefixed with "!". */
function linksText(span: Obj): string {
  const links = arrayOf(span, "links", "links", "");
  if (links === null || links.length === 0) return "[]";
  let s = "[";
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    const what = `links[${i}]`;
    if (!isObj(link)) fail(`${what} must be an object`);
    const tid = get(link, "traceId", "trace_id");
    const sid = get(link, "spanId", "span_id");
    if (tid !== undefined && typeof tid !== "string") fail(`${what}.traceId must be a hex string`);
    if (sid !== undefined && typeof sid !== "string") fail(`${what}.spanId must be a hex string`);
    const thex = tid === undefined ? "" : normalizeHex(tid);
    const shex = sid === undefined ? "" : normalizeHex(sid);
    const attrs = attributesText(link, `${what}.`, `${what}.`);
    if (thex === null) return `!link ${i}: trace_id is not a valid hex string`;
    if (shex === null) return `!link ${i}: span_id is not a valid hex string`;
    if (i !== 0) s += ",";
    s += '{"traceId":"' + thex + '","spanId":"' + shex + '","attributes":' + attrs + "}";
  }
  return s + "]";
}

function readSpan(ctx: Ctx, span: unknown): void {
  if (!isObj(span)) fail("must be a Span object");
  const traceId = idOf(get(span, "traceId", "trace_id"), "trace_id", "traceId", 16);
  const spanId = idOf(get(span, "spanId", "span_id"), "span_id", "spanId", 8);
  const parentRaw = get(span, "parentSpanId", "parent_span_id");
  let parentSpanId = "";
  let parentReason = "";
  if (parentRaw !== undefined) {
    if (typeof parentRaw !== "string") fail("parentSpanId must be a hex string");
    const hex = normalizeHex(parentRaw);
    if (hex === null) parentReason = "parent_span_id is not a valid hex string";
    else if (hex.length !== 0 && hex.length !== 16) parentReason = `parent_span_id must be 8 bytes or empty, got ${hex.length / 2}`;
    else if (hex.length !== 0 && !hexAllZero(hex)) parentSpanId = hex;
  }
  const name = str(span.name, "name");
  const kind = int32(span.kind, "kind");
  const st = get(span, "startTimeUnixNano", "start_time_unix_nano");
  let sq = 0;
  let sr = 0;
  if (st !== undefined) {
    if (!splitNsJson(st)) fail("startTimeUnixNano must be a uint64 (decimal string or integer number)");
    sq = T.q;
    sr = T.r;
  }
  const et = get(span, "endTimeUnixNano", "end_time_unix_nano");
  let eq = 0;
  let er = 0;
  if (et !== undefined) {
    if (!splitNsJson(et)) fail("endTimeUnixNano must be a uint64 (decimal string or integer number)");
    eq = T.q;
    er = T.r;
  }
  const attributes = attributesText(span, "", "");
  const events = eventsText(span);
  const links = linksText(span);
  let statusCode = 0;
  let statusMessage = "";
  const status = span.status;
  if (status !== undefined && status !== null) {
    if (!isObj(status)) fail("status must be an object");
    statusCode = int32(status.code, "status.code");
    statusMessage = str(status.message === null ? undefined : status.message, "status.message");
  }

  if (traceId.charCodeAt(0) === 33) return reject(ctx, traceId.slice(1));
  if (spanId.charCodeAt(0) === 33) return reject(ctx, spanId.slice(1));
  if (parentReason !== "") return reject(ctx, parentReason);
  if (eq < sq || (eq === sq && er < sr)) {
    return reject(ctx, `end before start (end_time_unix_nano ${nsText(eq, er)} < start_time_unix_nano ${nsText(sq, sr)})`);
  }
  if (links.charCodeAt(0) === 33) return reject(ctx, links.slice(1));

  ctx.out.push({
    traceId,
    spanId,
    parentSpanId,
    service: ctx.service,
    name,
    kind: kind >= 0 && kind <= 5 ? kind : 0,
    startMs: msOf(sq, sr),
    durationMs: durationMsOf(sq, sr, eq, er),
    statusCode: statusCode >= 0 && statusCode <= 2 ? statusCode : 0,
    statusMessage,
    attributes,
    resource: ctx.resource,
    scope: ctx.scope,
    events,
    links,
  });
}

function readResource(ctx: Ctx, rs: Obj): void {
  const resource = rs.resource;
  ctx.service = UNKNOWN_SERVICE;
  ctx.resource = "{}";
  if (resource === undefined || resource === null) return;
  if (!isObj(resource)) fail("resource must be an object");
  const kvs = arrayOf(resource, "attributes", "attributes", "resource.");
  ctx.resource = keyValuesText(kvs, "resource.attributes", 0);
  if (kvs === null) return;
  let service: string | null = null;
  for (const kv of kvs) {
    if (!isObj(kv) || kv.key !== "service.name") continue;
    const v = kv.value;
    service = null;
    if (isObj(v)) {
      const s = get(v, "stringValue", "string_value");
      if (typeof s === "string") service = truncate(s, maxValueLen);
    }
  }
  if (service) ctx.service = service;
}

function scopeName(ss: Obj): string {
  const scope = ss.scope;
  if (scope === undefined || scope === null) return "";
  if (!isObj(scope)) fail("scope must be an object");
  return str(scope.name === null ? undefined : scope.name, "scope.name");
}

/** Spans in a request whose outer shape is right (malformed parts count as none). */
function countSpans(rss: unknown[]): number {
  let n = 0;
  for (const rs of rss) {
    if (!isObj(rs)) continue;
    const sss = get(rs, "scopeSpans", "scope_spans");
    if (!Array.isArray(sss)) continue;
    for (const ss of sss) {
      if (!isObj(ss)) continue;
      const spans = ss.spans;
      if (Array.isArray(spans)) n += spans.length;
    }
  }
  return n;
}

function location(): string {
  if (rsIndex < 0) return "ExportTraceServiceRequest";
  let s = `resourceSpans[${rsIndex}]`;
  if (ssIndex >= 0) s += `.scopeSpans[${ssIndex}]`;
  if (spIndex >= 0) s += `.spans[${spIndex}] (span ${spanNo})`;
  return s;
}

/**
 * Decodes an OTLP/HTTP JSON ExportTraceServiceRequest body.
 * Throws OtlpDecodeError (→ 400) for invalid JSON or a wrong shape, TooManySpansError (→ 413) past
 * limits.maxSpans (counted before any span is decoded).
 */
export function decodeTracesJson(body: string, limits: DecodeLimits): DecodeResult {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  if (!isObj(root)) throw new OtlpDecodeError("ExportTraceServiceRequest: the body must be a JSON object");
  maxValueLen = maxLen(limits.maxAttributeValueLength);
  rsIndex = -1;
  ssIndex = -1;
  spIndex = -1;
  spanNo = -1;
  const ctx: Ctx = { out: [], rejected: 0, rejectionMessage: "", service: UNKNOWN_SERVICE, resource: "{}", scope: "" };
  try {
    const rss = arrayOf(root, "resourceSpans", "resource_spans", "");
    if (rss === null) return { spans: ctx.out, rejectedSpans: 0, rejectionMessage: "" };
    const total = countSpans(rss);
    if (total > limits.maxSpans) throw new TooManySpansError(total, limits.maxSpans, true);
    for (let i = 0; i < rss.length; i++) {
      rsIndex = i;
      const rs = rss[i];
      if (!isObj(rs)) fail("must be a ResourceSpans object");
      readResource(ctx, rs);
      const sss = arrayOf(rs, "scopeSpans", "scope_spans", "");
      if (sss === null) continue;
      for (let j = 0; j < sss.length; j++) {
        ssIndex = j;
        const ss = sss[j];
        if (!isObj(ss)) fail("must be a ScopeSpans object");
        ctx.scope = scopeName(ss);
        const spans = arrayOf(ss, "spans", "spans", "");
        if (spans !== null) {
          for (let k = 0; k < spans.length; k++) {
            spIndex = k;
            spanNo++;
            readSpan(ctx, spans[k]);
          }
        }
        spIndex = -1;
      }
      ssIndex = -1;
    }
    return { spans: ctx.out, rejectedSpans: ctx.rejected, rejectionMessage: ctx.rejectionMessage };
  } catch (err) {
    if (err instanceof ShapeError) throw new OtlpDecodeError(`${location()}: ${err.message}`);
    throw err;
  }
}
