/**
 * The protobuf decoder on hand-made messages: value kinds the SDK cannot emit, unknown fields,
 * odd field orders, rejected spans, malformed bodies and limits. (Real exporter bodies: decode-sdk.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../../lib/ingest/span-record";
import { decodeTracesProto } from "./decode-proto";
import { type DecodeLimits, OtlpDecodeError, TooManySpansError } from "./decode-types";
import {
  Pb,
  SPAN_A,
  SPAN_B,
  ALL_KINDS_ATTRIBUTES,
  ALL_KINDS_TEXT,
  TRACE_A,
  anyArray,
  anyBool,
  anyDouble,
  anyInt,
  anyKvlist,
  anyString,
  hexBytes,
  keyValue,
  request,
  span,
} from "./otlp-test-support";

const LIMITS: DecodeLimits = { maxSpans: 1000, maxAttributeValueLength: 4096 };
const decode = (body: Uint8Array, limits = LIMITS) => decodeTracesProto(body, limits);

/** Asserts that decoding throws OtlpDecodeError with exactly this message. */
function expectDecodeError(body: Uint8Array, message: string, limits = LIMITS): void {
  let error: unknown;
  try {
    decode(body, limits);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OtlpDecodeError);
  expect((error as Error).message).toBe(message);
}

const BASE: SpanRecord = {
  traceId: TRACE_A,
  spanId: SPAN_A,
  parentSpanId: "",
  service: "svc",
  name: "op",
  kind: 0,
  startMs: 1760000000000,
  durationMs: 2,
  statusCode: 0,
  statusMessage: "",
  attributes: "{}",
  resource: '{"service.name":"svc"}',
  scope: "scope",
  events: "[]",
  links: "[]",
};

describe("decodeTracesProto: values", () => {
  it("maps every AnyValue kind to JSON text", () => {
    const { spans } = decode(request([span({ attributes: ALL_KINDS_ATTRIBUTES })]));
    expect(spans[0].attributes).toBe(ALL_KINDS_TEXT);
    const parsed = JSON.parse(spans[0].attributes);
    expect(parsed.int64max).toBe("9223372036854775807");
    expect(parsed.arr).toEqual([1, "a", [true], null, { k: 0.5 }]);
  });

  it("lets the last field of a oneof win, as protobuf does", () => {
    const value = new Pb().string(1, "first").varint(3, 7);
    const value2 = new Pb().varint(3, 7).raw(anyArray(anyString("a")).parts).string(1, "last");
    const { spans } = decode(request([span({ attributes: [keyValue("a", value), keyValue("b", value2)] })]));
    expect(spans[0].attributes).toBe('{"a":7,"b":"last"}');
  });

  it("escapes keys and values like JSON.stringify, and handles multi-byte and invalid UTF-8", () => {
    const tricky = 'q"b\\s/\b\f\n\r\t\u0000\u001f\u007f\u2028é✓😀';
    const invalid = new Pb().string(1, "bad").message(2, new Pb().len(1, [0x61, 0xff, 0x62, 0xe2, 0x82]));
    const { spans } = decode(request([span({ attributes: [keyValue(tricky, anyString(tricky)), keyValue("ascii", anyString("plain")), invalid] })]));
    expect(spans[0].attributes).toBe(JSON.stringify({ [tricky]: tricky, ascii: "plain", bad: "a\ufffdb\ufffd" }));
  });

  it("handles long strings and keys (multi-byte lengths), and cuts values at the limit", () => {
    const long = "x".repeat(20_000);
    const longKey = "k".repeat(300);
    const body = request([span({ attributes: [keyValue(longKey, anyString(long)), keyValue("mid", anyString("y".repeat(200)))] })]);
    expect(decode(body).spans[0].attributes).toBe(JSON.stringify({ [longKey]: "x".repeat(4096), mid: "y".repeat(200) }));
    expect(decode(body, { maxSpans: 10, maxAttributeValueLength: 100_000 }).spans[0].attributes).toBe(
      JSON.stringify({ [longKey]: long, mid: "y".repeat(200) }),
    );
    expect(decode(body, { maxSpans: 10, maxAttributeValueLength: 0 }).spans[0].attributes).toBe(JSON.stringify({ [longKey]: "", mid: "" }));
  });

  it("cuts at UTF-16 code units without splitting a surrogate pair", () => {
    const body = request([span({ attributes: [keyValue("a", anyString("é😀é")), keyValue("b", anyArray(anyString("abcdef"), anyString("ab")))] })]);
    expect(decode(body, { maxSpans: 10, maxAttributeValueLength: 2 }).spans[0].attributes).toBe('{"a":"é","b":["ab","ab"]}');
    expect(decode(body, { maxSpans: 10, maxAttributeValueLength: 3 }).spans[0].attributes).toBe('{"a":"é😀","b":["abc","ab"]}');
  });

  it("writes attribute texts right across many spans, ASCII and not, with rejected spans between", () => {
    const spans: Pb[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 45; i++) {
      const id = (0x1000 + i).toString(16).padStart(16, "0");
      const value = i % 7 === 3 ? `ünïcode ${i}` : `value ${i}`;
      const bad = i % 11 === 5;
      spans.push(span({ spanId: bad ? "" : id, attributes: i % 13 === 0 ? [] : [keyValue("i", anyInt(i)), keyValue("v", anyString(value))] }));
      if (!bad) expected.push(i % 13 === 0 ? "{}" : JSON.stringify({ i, v: value }));
    }
    const result = decode(request(spans));
    expect(result.rejectedSpans).toBe(4);
    expect(result.spans.map((s) => s.attributes)).toEqual(expected);
  });

  it("copes with a span of thousands of attributes", () => {
    const attrs = Array.from({ length: 5000 }, (_, i) => keyValue(`key.${i}`, anyString(`value-${i}-${"z".repeat(i % 50)}`)));
    const obj: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) obj[`key.${i}`] = `value-${i}-${"z".repeat(i % 50)}`;
    expect(decode(request([span({ attributes: attrs }), span({ spanId: SPAN_B })])).spans.map((s) => s.attributes)).toEqual([JSON.stringify(obj), "{}"]);
  });
});

describe("decodeTracesProto: spans", () => {
  it("decodes the span fields", () => {
    const body = request([
      span({
        parentSpanId: SPAN_B,
        name: "GET /x",
        kind: 2,
        startNs: 1_760_000_000_123_456_789n,
        endNs: 1_760_000_000_223_457_023n,
        status: { code: 2, message: "boom ✗" },
        extra: (s) => s.string(3, "vendor=x").fixed32(16, 0x301).varint(10, 3).varint(12, 1).varint(14, 2),
      }),
    ]);
    expect(decode(body).spans).toEqual([
      {
        ...BASE,
        parentSpanId: SPAN_B,
        name: "GET /x",
        kind: 2,
        startMs: 1760000000123.456789,
        durationMs: 100.000234,
        statusCode: 2,
        statusMessage: "boom ✗",
      },
    ]);
  });

  it("keeps full precision of short durations and of large timestamps", () => {
    const body = request([
      span({ startNs: 18446744073709551614n, endNs: 18446744073709551615n }),
      span({ spanId: SPAN_B, startNs: 0n, endNs: 0n }),
      span({ spanId: "0000000000000001", startNs: 1n, endNs: 2n ** 53n + 1n }),
    ]);
    const [a, b, c] = decode(body).spans;
    expect([a.startMs, a.durationMs]).toEqual([18446744073709.551614, 0.000001]);
    expect([b.startMs, b.durationMs]).toEqual([0, 0]);
    expect([c.startMs, c.durationMs]).toEqual([0.000001, 9007199254.740992]);
  });

  it("decodes events and links", () => {
    const event = (name: string, ns: bigint, ...attrs: Pb[]) => {
      const e = new Pb().fixed64(1, ns).string(2, name).varint(4, 0);
      for (const a of attrs) e.message(3, a);
      return e;
    };
    const link = new Pb()
      .len(1, hexBytes("0AF7651916CD43DD8448EB211C80319C"))
      .len(2, hexBytes("b7ad6b7169203331"))
      .string(3, "k=v")
      .message(4, keyValue("weight", anyDouble(0.5)))
      .varint(5, 0)
      .fixed32(6, 0x101);
    const body = request([
      span({
        extra: (s) =>
          s
            .message(11, event("first", 1_760_000_000_001_000_000n, keyValue("a", anyString("b")), keyValue("n", anyInt(1))))
            .message(13, link)
            .message(11, event("second", 1_760_000_000_001_500_001n))
            .message(13, new Pb()),
      }),
    ]);
    const [s] = decode(body).spans;
    expect(s.events).toBe(
      '[{"timeMs":1760000000001,"name":"first","attributes":{"a":"b","n":1}},{"timeMs":1760000000001.5,"name":"second","attributes":{}}]',
    );
    expect(s.links).toBe(
      '[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","attributes":{"weight":0.5}},{"traceId":"","spanId":"","attributes":{}}]',
    );
  });

  it("maps out-of-range kinds and status codes to 0, an all-zero parent to a root", () => {
    const body = request([
      span({ kind: 9, status: { code: 7 }, parentSpanId: "0000000000000000" }),
      span({ spanId: SPAN_B, kind: -1, status: { code: -2 } }),
    ]);
    const [a, b] = decode(body).spans;
    expect([a.kind, a.statusCode, a.parentSpanId]).toEqual([0, 0, ""]);
    expect([b.kind, b.statusCode]).toEqual([0, 0]);
  });

  it("takes service, resource and scope per ResourceSpans / ScopeSpans", () => {
    const resource = (...attrs: Pb[]) => attrs.reduce((r, a) => r.message(1, a), new Pb());
    const scopeSpans = (scope: Pb | null, ...spans: Pb[]) => {
      const ss = new Pb();
      if (scope) ss.message(1, scope);
      for (const s of spans) ss.message(2, s);
      return ss;
    };
    const body = new Pb()
      .message(
        1,
        new Pb()
          .message(1, resource(keyValue("service.name", anyString("a")), keyValue("host", anyString("h"))))
          .message(2, scopeSpans(new Pb().string(1, "s1").string(2, "1.0").message(3, keyValue("x", anyInt(1))).varint(4, 0), span({ name: "one" })))
          .message(2, scopeSpans(null, span({ name: "two", spanId: SPAN_B })))
          .string(3, "https://opentelemetry.io/schemas/1.26.0"),
      )
      .message(1, new Pb().message(1, resource(keyValue("service.name", anyInt(5)))).message(2, scopeSpans(new Pb().string(1, "s3"), span({ name: "three" }))))
      .message(1, new Pb().message(2, scopeSpans(null, span({ name: "four" }))))
      .message(
        1,
        new Pb()
          .message(1, resource(keyValue("service.name", anyString("old")), keyValue("service.name", anyString(""))))
          .message(2, scopeSpans(null, span({ name: "five" }))),
      )
      .message(1, new Pb().message(1, resource(keyValue("service.name", anyInt(1)), keyValue("service.name", anyString("new")))).message(2, scopeSpans(null, span({ name: "six" }))))
      .bytes();
    const spans = decode(body).spans;
    expect(spans.map((s) => [s.name, s.service, s.resource, s.scope])).toEqual([
      ["one", "a", '{"service.name":"a","host":"h"}', "s1"],
      ["two", "a", '{"service.name":"a","host":"h"}', ""],
      ["three", "unknown_service", '{"service.name":5}', "s3"],
      ["four", "unknown_service", "{}", ""],
      ["five", "unknown_service", '{"service.name":"old","service.name":""}', ""],
      ["six", "new", '{"service.name":1,"service.name":"new"}', ""],
    ]);
  });

  it("does not depend on field order", () => {
    const canonical = request([span({ attributes: [keyValue("k", anyString("v"))], status: { code: 1, message: "m" }, kind: 3, parentSpanId: SPAN_B })]);
    // the same, every message written back to front
    const reversedSpan = new Pb()
      .message(15, new Pb().varint(3, 1).string(2, "m"))
      .message(9, new Pb().message(2, anyString("v")).string(1, "k"))
      .fixed64(8, 1_760_000_000_002_000_000n)
      .fixed64(7, 1_760_000_000_000_000_000n)
      .varint(6, 3)
      .string(5, "op")
      .len(4, hexBytes(SPAN_B))
      .len(2, hexBytes(SPAN_A))
      .len(1, hexBytes(TRACE_A));
    const reversed = new Pb()
      .message(
        1,
        new Pb()
          .message(2, new Pb().message(2, reversedSpan).message(1, new Pb().string(1, "scope")))
          .message(1, new Pb().message(1, keyValue("service.name", anyString("svc")))),
      )
      .bytes();
    expect(decode(reversed)).toEqual(decode(canonical));
    expect(decode(canonical).spans[0]).toEqual({ ...BASE, parentSpanId: SPAN_B, kind: 3, statusCode: 1, statusMessage: "m", attributes: '{"k":"v"}' });
  });

  it("skips unknown fields of every wire type at every level", () => {
    const unknown = (p: Pb) =>
      p
        .varint(100, 2n ** 63n)
        .fixed64(101, 1)
        .string(102, "unknown")
        .tag(103, 3)
        .varint(1, 1)
        .string(2, "in group")
        .tag(103, 4)
        .fixed32(104, 9);
    const attrs = () => [keyValue("a", anyArray(anyString("x"))), keyValue("b", anyKvlist(keyValue("c", anyInt(2))))];
    const plainEvent = new Pb().fixed64(1, 5_000_000n).string(2, "e").message(3, keyValue("x", anyBool(true)));
    const plainLink = new Pb().len(1, hexBytes(TRACE_A)).len(2, hexBytes(SPAN_B)).message(4, keyValue("y", anyString("z")));
    const plain = request([
      span({ attributes: attrs(), status: { code: 2, message: "bad" }, extra: (s) => s.message(11, plainEvent).message(13, plainLink) }),
    ]);

    // Same content, with unknown fields added to every message (including nested values).
    const kv = (key: string, value: Pb) => unknown(new Pb().string(1, key).message(2, value));
    const arrayValue = unknown(new Pb().message(1, unknown(anyString("x"))));
    const kvlistValue = unknown(new Pb().message(1, kv("c", unknown(anyInt(2)))));
    const noisyAttrs = [kv("a", unknown(new Pb().message(5, arrayValue))), kv("b", unknown(new Pb().message(6, kvlistValue)))];
    const noisyEvent = unknown(new Pb().fixed64(1, 5_000_000n).string(2, "e").message(3, kv("x", unknown(anyBool(true)))));
    const noisyLink = unknown(new Pb().len(1, hexBytes(TRACE_A)).len(2, hexBytes(SPAN_B)).message(4, kv("y", unknown(anyString("z")))));
    const noisySpan = unknown(
      span({ attributes: noisyAttrs, extra: (s) => s.message(15, unknown(new Pb().string(2, "bad").varint(3, 2))).message(11, noisyEvent).message(13, noisyLink) }),
    );
    const scopeSpans = unknown(new Pb().message(1, unknown(new Pb().string(1, "scope"))).message(2, noisySpan));
    const resource = unknown(new Pb().message(1, kv("service.name", unknown(anyString("svc")))));
    const noisy = unknown(new Pb().message(1, unknown(new Pb().message(1, resource).message(2, scopeSpans)))).bytes();

    const expected = decode(plain);
    expect(expected.spans[0].attributes).toBe('{"a":["x"],"b":{"c":2}}');
    expect(expected.spans[0].events).toBe('[{"timeMs":5,"name":"e","attributes":{"x":true}}]');
    expect(expected.spans[0].links).toBe(`[{"traceId":"${TRACE_A}","spanId":"${SPAN_B}","attributes":{"y":"z"}}]`);
    expect(decode(noisy)).toEqual(expected);
  });

  it("decodes an empty request and empty containers", () => {
    expect(decode(new Uint8Array(0))).toEqual({ spans: [], rejectedSpans: 0, rejectionMessage: "" });
    expect(decode(new Pb().message(1, new Pb()).message(1, new Pb().message(2, new Pb())).bytes())).toEqual({
      spans: [],
      rejectedSpans: 0,
      rejectionMessage: "",
    });
  });

  it("accepts a Buffer or a Uint8Array view into a larger buffer", () => {
    const body = request([span()]);
    const padded = new Uint8Array(body.length + 20);
    padded.set(body, 7);
    expect(decode(padded.subarray(7, 7 + body.length)).spans).toEqual([BASE]);
    expect(decode(Buffer.from(body)).spans).toEqual([BASE]);
  });
});

describe("decodeTracesProto: rejected spans", () => {
  it("rejects spans with bad ids or end before start, keeps the rest, reports the first reason", () => {
    const body = request([
      span({ spanId: "0000000000000001" }),
      span({ traceId: "0102030405060708" }),
      span({ traceId: "00000000000000000000000000000000" }),
      span({ spanId: "01020304" }),
      span({ spanId: "0000000000000000" }),
      span({ spanId: "" }),
      span({ traceId: "" }),
      span({ parentSpanId: "010203" }),
      span({ startNs: 1_760_000_000_000_000_001n, endNs: 1_760_000_000_000_000_000n }),
      span({ spanId: "0000000000000002" }),
    ]);
    const result = decode(body);
    expect(result.spans.map((s) => s.spanId)).toEqual(["0000000000000001", "0000000000000002"]);
    expect(result.rejectedSpans).toBe(8);
    expect(result.rejectionMessage).toBe("span 1: trace_id must be 16 bytes, got 8");
  });

  it.each([
    [{ traceId: "00000000000000000000000000000000" }, "span 0: trace_id must not be all zeros"],
    [{ spanId: "01020304" }, "span 0: span_id must be 8 bytes, got 4"],
    [{ spanId: "0000000000000000" }, "span 0: span_id must not be all zeros"],
    [{ spanId: "" }, "span 0: span_id must be 8 bytes, got 0"],
    [{ parentSpanId: "010203" }, "span 0: parent_span_id must be 8 bytes or empty, got 3"],
    [
      { startNs: 1_760_000_000_000_000_001n, endNs: 1_760_000_000_000_000_000n },
      "span 0: end before start (end_time_unix_nano 1760000000000000000 < start_time_unix_nano 1760000000000000001)",
    ],
    [{ startNs: 5n, endNs: 0n }, "span 0: end before start (end_time_unix_nano 0 < start_time_unix_nano 5)"],
  ])("reason for %o", (fields, message) => {
    const result = decode(request([span(fields)]));
    expect(result).toEqual({ spans: [], rejectedSpans: 1, rejectionMessage: message });
  });
});

describe("decodeTracesProto: malformed bodies", () => {
  const good = request([span({ attributes: [keyValue("k", anyString("v")), keyValue("n", anyInt(300))] }), span({ spanId: SPAN_B })]);

  it("rejects every truncation of a valid body that cuts a field, with OtlpDecodeError only", () => {
    let errors = 0;
    for (let cut = 1; cut < good.length; cut++) {
      try {
        decode(good.subarray(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(OtlpDecodeError);
        errors++;
      }
    }
    // the body is one top-level field, so every strict prefix cuts it
    expect(errors).toBe(good.length - 1);
    expectDecodeError(good.subarray(0, good.length - 1), `ExportTraceServiceRequest: length ${good.length - 3} runs past the end of the enclosing message (${good.length - 4} bytes left) at byte 1`);
  });

  it("names where a nested length runs past its message", () => {
    // a span whose attribute claims more bytes than the span holds
    const bad = new Pb().len(1, hexBytes(TRACE_A)).tag(9, 2).raw([0x20, 0x0a, 0x01, 0x6b]);
    const body = request([span(), bad]);
    expectDecodeError(
      body,
      `resource_spans[0].scope_spans[0].spans[1] (span 1): length 32 runs past the end of the enclosing message (3 bytes left) at byte ${body.length - 4}`,
    );
  });

  it("rejects bad varints", () => {
    const tooLong = new Pb().len(1, hexBytes(TRACE_A)).tag(6, 0).raw([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect(() => decode(request([tooLong]))).toThrowError(/spans\[0\] \(span 0\): varint longer than 64 bits at byte \d+$/);
    expectDecodeError(Uint8Array.from([0x0a, 0xff, 0xff]), "ExportTraceServiceRequest: truncated varint at byte 1");
    expectDecodeError(Uint8Array.from([0xff]), "ExportTraceServiceRequest: truncated varint at byte 0");
  });

  it.each([
    ["resource_spans as varint", new Pb().varint(1, 1).bytes(), "ExportTraceServiceRequest: ExportTraceServiceRequest.resource_spans (field 1) has wire type varint, expected len at byte 0"],
    ["span name as varint", request([span().varint(5, 1)]), /spans\[0\] \(span 0\): Span\.name \(field 5\) has wire type varint, expected len at byte \d+$/],
    ["start time as varint", request([span().varint(7, 1)]), /Span\.start_time_unix_nano \(field 7\) has wire type varint, expected i64/],
    ["kind as len", request([span().string(6, "server")]), /Span\.kind \(field 6\) has wire type len, expected varint/],
    ["flags as fixed64", request([span().fixed64(16, 1)]), /Span\.flags \(field 16\) has wire type i64, expected i32/],
    ["key as fixed32", request([span({ attributes: [new Pb().fixed32(1, 1)] })]), /KeyValue\.key \(field 1\) has wire type i32, expected len/],
    ["int_value as len", request([span({ attributes: [keyValue("a", new Pb().string(3, "1"))] })]), /AnyValue\.int_value \(field 3\) has wire type len, expected varint/],
    ["status code as len", request([span().message(15, new Pb().string(3, "x"))]), /Status\.code \(field 3\) has wire type len, expected varint/],
    [
      "scope name as varint",
      new Pb().message(1, new Pb().message(2, new Pb().message(1, new Pb().varint(1, 1)))).bytes(),
      "resource_spans[0].scope_spans[0]: InstrumentationScope.name (field 1) has wire type varint, expected len at byte 6",
    ],
    [
      "resource attributes as fixed64",
      new Pb().message(1, new Pb().message(1, new Pb().fixed64(1, 1))).bytes(),
      "resource_spans[0]: Resource.attributes (field 1) has wire type i64, expected len at byte 4",
    ],
  ])("rejects a known field with the wrong wire type: %s", (_, body, message) => {
    if (typeof message === "string") expectDecodeError(body, message);
    else expect(() => decode(body)).toThrowError(message);
    expect(() => decode(body)).toThrowError(OtlpDecodeError);
  });

  it("rejects garbage", () => {
    expectDecodeError(Buffer.from("hello world"), "ExportTraceServiceRequest: unexpected end-group tag (field 13) at byte 2");
    expect(() => decode(Buffer.from('{"resourceSpans":[]}'))).toThrowError(OtlpDecodeError);
    expectDecodeError(Uint8Array.from([0x00]), "ExportTraceServiceRequest: invalid field number 0 at byte 0");
    expectDecodeError(Uint8Array.from([0x17, 0x01]), "ExportTraceServiceRequest: invalid wire type 7 (field 2) at byte 0");
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: 64 }, random);
      try {
        decode(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(OtlpDecodeError);
      }
    }
  });

  it("bounds the nesting of array / kvlist values", () => {
    let value = anyString("x");
    for (let i = 0; i < 40; i++) value = anyArray(value);
    expect(() => decode(request([span({ attributes: [keyValue("deep", value)] })]))).toThrowError(/array\/kvlist values nested too deeply/);
    let ok = anyString("x");
    for (let i = 0; i < 30; i++) ok = anyArray(ok);
    expect(decode(request([span({ attributes: [keyValue("deep", ok)] })])).spans[0].attributes).toBe(`{"deep":${"[".repeat(30)}"x"${"]".repeat(30)}}`);
  });
});

describe("decodeTracesProto: span limit", () => {
  it("throws TooManySpansError past maxSpans, counting rejected spans, with the request's span count", () => {
    const body = request([span(), span({ spanId: "" }), span({ spanId: SPAN_B })]);
    expect(decode(body, { maxSpans: 3, maxAttributeValueLength: 10 }).spans).toHaveLength(2);
    let error: unknown;
    try {
      decode(body, { maxSpans: 2, maxAttributeValueLength: 10 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooManySpansError);
    expect(error).toMatchObject({ count: 3, limit: 2, exact: true, httpStatus: 413 });
    expect((error as Error).message).toBe("request contains 3 spans, more than the limit of 2 spans per request");
  });

  it("stops decoding at the limit: a malformed span after it is never read", () => {
    const broken = new Pb().varint(5, 1); // name as varint: malformed
    const body = request([span(), span({ spanId: SPAN_B }), span(), broken]);
    expect(() => decode(body)).toThrowError(OtlpDecodeError);
    expect(() => decode(body, { maxSpans: 2, maxAttributeValueLength: 10 })).toThrowError(
      new TooManySpansError(4, 2, true),
    );
  });

  it("says 'more than' when the rest of the body cannot even be counted", () => {
    const body = request([span(), span({ spanId: SPAN_B })]);
    const withBrokenTail = Uint8Array.from([...body, 0x0a, 0x05, 0x01]); // a second resource_spans, cut short
    expect(() => decode(withBrokenTail)).toThrowError("ExportTraceServiceRequest: length 5 runs past the end");
    expect(() => decode(withBrokenTail, { maxSpans: 1, maxAttributeValueLength: 10 })).toThrowError(
      "request contains more than 1 spans (the limit per request)",
    );
  });
});
