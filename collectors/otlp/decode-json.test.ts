/**
 * The OTLP/JSON decoder on hand-written requests: every value kind, snake_case names, number / string
 * int64s, rejected spans, wrong shapes and limits, and record-for-record equality with the protobuf
 * decoder on the same content. (Real exporter bodies: decode-sdk.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { decodeTracesJson } from "./decode-json";
import { decodeTracesProto } from "./decode-proto";
import { type DecodeLimits, OtlpDecodeError, TooManySpansError } from "./decode-types";
import {
  ALL_KINDS_ATTRIBUTES,
  ALL_KINDS_TEXT,
  Pb,
  SPAN_A,
  SPAN_B,
  TRACE_A,
  anyDouble,
  anyInt,
  anyString,
  hexBytes,
  keyValue,
  request,
  span,
} from "./otlp-test-support";

const LIMITS: DecodeLimits = { maxSpans: 1000, maxAttributeValueLength: 4096 };
const decode = (body: string | object, limits = LIMITS) => decodeTracesJson(typeof body === "string" ? body : JSON.stringify(body), limits);

type Json = Record<string, unknown>;

const jspan = (fields: Json = {}): Json => ({
  traceId: TRACE_A,
  spanId: SPAN_A,
  name: "op",
  startTimeUnixNano: "1760000000000000000",
  endTimeUnixNano: "1760000000002000000",
  ...fields,
});

const jrequest = (spans: unknown[], service = "svc", scope = "scope"): Json => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: scope }, spans }],
    },
  ],
});

function expectDecodeError(body: string | object, message: string, limits = LIMITS): void {
  let error: unknown;
  try {
    decode(body, limits);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OtlpDecodeError);
  expect((error as Error).message).toBe(message);
}

const ALL_KINDS_JSON = [
  { key: "s", value: { stringValue: "text" } },
  { key: "empty", value: { stringValue: "" } },
  { key: "t", value: { boolValue: true } },
  { key: "f", value: { boolValue: false } },
  { key: "zero", value: { intValue: "0" } },
  { key: "minus1", value: { intValue: -1 } },
  { key: "maxSafe", value: { intValue: "9007199254740991" } },
  { key: "minSafe", value: { intValue: -9007199254740991 } },
  { key: "pow53", value: { intValue: "9007199254740992" } },
  { key: "pow53plus1", value: { intValue: "9007199254740993" } },
  { key: "minus2pow53", value: { intValue: "-9007199254740992" } },
  { key: "int64max", value: { intValue: "9223372036854775807" } },
  { key: "int64min", value: { intValue: "-9223372036854775808" } },
  { key: "d", value: { doubleValue: 1.5 } },
  { key: "dInt", value: { doubleValue: 3 } },
  { key: "negZero", value: { doubleValue: "-0" } },
  { key: "tiny", value: { doubleValue: 5e-324 } },
  { key: "huge", value: { doubleValue: "1e300" } },
  { key: "nan", value: { doubleValue: "NaN" } },
  { key: "inf", value: { doubleValue: "Infinity" } },
  { key: "ninf", value: { doubleValue: "-Infinity" } },
  {
    key: "arr",
    value: {
      arrayValue: {
        values: [
          { intValue: 1 },
          { stringValue: "a" },
          { arrayValue: { values: [{ boolValue: true }] } },
          {},
          { kvlistValue: { values: [{ key: "k", value: { doubleValue: 0.5 } }] } },
        ],
      },
    },
  },
  { key: "emptyArr", value: { arrayValue: {} } },
  {
    key: "kv",
    value: {
      kvlistValue: {
        values: [{ key: "n", value: {} }, { key: "inner", value: { kvlistValue: { values: [{ key: "deep", value: { stringValue: "x" } }] } } }, { key: "noValue" }],
      },
    },
  },
  { key: "emptyKv", value: { kvlistValue: { values: [] } } },
  { key: "bytes", value: { bytesValue: "AAEC+v8=" } },
  { key: "emptyBytes", value: { bytesValue: "" } },
  { key: "nothing", value: {} },
  { key: "noValue" },
  { value: { stringValue: "no key" } },
];

describe("decodeTracesJson: values", () => {
  it("maps every AnyValue kind to the same JSON text as the protobuf decoder", () => {
    const json = decode(jrequest([jspan({ attributes: ALL_KINDS_JSON })]));
    expect(json.spans[0].attributes).toBe(ALL_KINDS_TEXT);
    expect(json).toEqual(decodeTracesProto(request([span({ attributes: ALL_KINDS_ATTRIBUTES })]), LIMITS));
  });

  it("accepts the other spellings of int64 and double values", () => {
    const attrs = [
      { key: "a", value: { intValue: "007" } },
      { key: "b", value: { intValue: "-0" } },
      { key: "c", value: { intValue: 4611686018427387904 } },
      { key: "d", value: { intValue: 2 ** 63 } },
      { key: "e", value: { doubleValue: "2.5" } },
      { key: "f", value: { bytesValue: "AAEC-v8" } },
    ];
    expect(decode(jrequest([jspan({ attributes: attrs })])).spans[0].attributes).toBe(
      '{"a":7,"b":0,"c":"4611686018427387904","d":9223372036854776000,"e":2.5,"f":"AAEC+v8="}',
    );
  });

  it("escapes keys and values exactly like the protobuf decoder", () => {
    const tricky = 'q"b\\s/\b\f\n\r\t\u0000\u001f\u007f\u2028é✓😀';
    const json = decode(jrequest([jspan({ attributes: [{ key: tricky, value: { stringValue: tricky } }] })]));
    expect(json.spans[0].attributes).toBe(JSON.stringify({ [tricky]: tricky }));
    expect(json).toEqual(decodeTracesProto(request([span({ attributes: [keyValue(tricky, anyString(tricky))] })]), LIMITS));
    // a lone surrogate (impossible in protobuf's UTF-8) still gives valid JSON text
    const lone = decode(jrequest([jspan({ attributes: [{ key: "x", value: { stringValue: "a\ud800b" } }] })]));
    expect(lone.spans[0].attributes).toBe('{"x":"a\\ud800b"}');
  });

  it("truncates like the protobuf decoder", () => {
    const limits = { maxSpans: 10, maxAttributeValueLength: 3 };
    const json = decode(jrequest([jspan({ attributes: ALL_KINDS_JSON.concat([{ key: "u", value: { stringValue: "é😀é" } }]) })]), limits);
    const proto = decodeTracesProto(request([span({ attributes: ALL_KINDS_ATTRIBUTES.concat([keyValue("u", anyString("é😀é"))]) })]), limits);
    expect(json).toEqual(proto);
    expect(JSON.parse(json.spans[0].attributes)).toMatchObject({ s: "tex", u: "é😀", kv: { inner: { deep: "x" } } });
  });
});

describe("decodeTracesJson: spans", () => {
  const protoEquivalent = () =>
    request([
      span({
        parentSpanId: SPAN_B,
        name: "GET /x",
        kind: 2,
        startNs: 1_760_000_000_123_456_789n,
        endNs: 1_760_000_000_223_457_023n,
        status: { code: 2, message: "boom" },
        attributes: [keyValue("n", anyInt(3))],
        extra: (s) =>
          s
            .message(11, new Pb().fixed64(1, 1_760_000_000_124_000_000n).string(2, "ev").message(3, keyValue("x", anyDouble(0.5))))
            .message(13, new Pb().len(1, hexBytes(TRACE_A)).len(2, hexBytes(SPAN_B)).message(4, keyValue("l", anyString("v")))),
      }),
    ]);

  it("decodes every span field the same as the protobuf decoder", () => {
    const json = decode(
      jrequest([
        jspan({
          parentSpanId: SPAN_B,
          name: "GET /x",
          kind: 2,
          startTimeUnixNano: "1760000000123456789",
          endTimeUnixNano: "1760000000223457023",
          status: { code: 2, message: "boom" },
          attributes: [{ key: "n", value: { intValue: "3" } }],
          events: [{ timeUnixNano: "1760000000124000000", name: "ev", attributes: [{ key: "x", value: { doubleValue: 0.5 } }] }],
          links: [{ traceId: TRACE_A, spanId: SPAN_B, attributes: [{ key: "l", value: { stringValue: "v" } }] }],
          flags: 257,
          traceState: "a=b",
          droppedAttributesCount: 0,
        }),
      ]),
    );
    expect(json).toEqual(decodeTracesProto(protoEquivalent(), LIMITS));
    expect(json.spans[0]).toMatchObject({
      startMs: 1760000000123.456789,
      durationMs: 100.000234,
      events: '[{"timeMs":1760000000124,"name":"ev","attributes":{"x":0.5}}]',
      links: `[{"traceId":"${TRACE_A}","spanId":"${SPAN_B}","attributes":{"l":"v"}}]`,
    });
  });

  it("accepts snake_case field names, upper-case hex ids and numeric timestamps", () => {
    const body = {
      resource_spans: [
        {
          resource: { attributes: [{ key: "service.name", value: { string_value: "svc" } }] },
          scope_spans: [
            {
              scope: { name: "scope" },
              spans: [
                {
                  trace_id: TRACE_A.toUpperCase(),
                  span_id: SPAN_A,
                  parent_span_id: SPAN_B.toUpperCase(),
                  name: "GET /x",
                  kind: 2,
                  start_time_unix_nano: "1760000000123456789",
                  end_time_unix_nano: "1760000000223457023",
                  status: { code: 2, message: "boom" },
                  attributes: [{ key: "n", value: { int_value: 3 } }],
                  events: [{ time_unix_nano: 1760000000124000000, name: "ev", attributes: [{ key: "x", value: { double_value: 0.5 } }] }],
                  links: [{ trace_id: TRACE_A, span_id: SPAN_B, attributes: [{ key: "l", value: { string_value: "v" } }] }],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(decode(body)).toEqual(decodeTracesProto(protoEquivalent(), LIMITS));
  });

  it("takes timestamps given as JSON numbers, exactly when they are safe integers", () => {
    const { spans } = decode(jrequest([jspan({ startTimeUnixNano: 1_500_000, endTimeUnixNano: 2_750_001 })]));
    expect([spans[0].startMs, spans[0].durationMs]).toEqual([1.5, 1.250001]);
  });

  it("treats null fields as absent and ignores unknown fields", () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "svc", future: 1 } }], droppedAttributesCount: 0, x: [] },
          scopeSpans: [{ scope: { name: "scope", version: "1", attributes: null }, spans: [jspan({ parentSpanId: null, events: null, status: null, whatever: { a: 1 } })], schemaUrl: "u" }],
          schemaUrl: "u",
          extra: "ignored",
        },
      ],
      partialSuccess: {},
    };
    expect(decode(body)).toEqual(decodeTracesProto(request([span()]), LIMITS));
  });

  it("decodes empty requests", () => {
    const empty = { spans: [], rejectedSpans: 0, rejectionMessage: "" };
    expect(decode("{}")).toEqual(empty);
    expect(decode({ resourceSpans: [] })).toEqual(empty);
    expect(decode({ resourceSpans: null })).toEqual(empty);
    expect(decode({ resourceSpans: [{}, { scopeSpans: [{}] }] })).toEqual(empty);
  });

  it("takes service, resource and scope per ResourceSpans / ScopeSpans like the protobuf decoder", () => {
    const body = {
      resourceSpans: [
        { resource: { attributes: [{ key: "service.name", value: { intValue: 5 } }] }, scopeSpans: [{ spans: [jspan({ name: "a" })] }] },
        { scopeSpans: [{ scope: {}, spans: [jspan({ name: "b" })] }] },
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "old" } }, { key: "service.name", value: { stringValue: "" } }] },
          scopeSpans: [{ spans: [jspan({ name: "c" })] }],
        },
        {
          resource: { attributes: [{ key: "service.name", value: { boolValue: true } }, { key: "service.name", value: { stringValue: "new" } }] },
          scopeSpans: [{ scope: { name: "s1" }, spans: [jspan({ name: "d" })] }, { scope: { name: "s2" }, spans: [jspan({ name: "e" })] }],
        },
      ],
    };
    expect(decode(body).spans.map((s) => [s.name, s.service, s.resource, s.scope])).toEqual([
      ["a", "unknown_service", '{"service.name":5}', ""],
      ["b", "unknown_service", "{}", ""],
      ["c", "unknown_service", '{"service.name":"old","service.name":""}', ""],
      ["d", "new", '{"service.name":true,"service.name":"new"}', "s1"],
      ["e", "new", '{"service.name":true,"service.name":"new"}', "s2"],
    ]);
  });
});

describe("decodeTracesJson: rejected spans", () => {
  it("rejects the same spans as the protobuf decoder, with the same reasons", () => {
    const cases: [Json, Parameters<typeof span>[0]][] = [
      [{ spanId: "0000000000000001" }, { spanId: "0000000000000001" }],
      [{ traceId: "0102030405060708" }, { traceId: "0102030405060708" }],
      [{ traceId: "00000000000000000000000000000000" }, { traceId: "00000000000000000000000000000000" }],
      [{ spanId: "01020304" }, { spanId: "01020304" }],
      [{ spanId: "0000000000000000" }, { spanId: "0000000000000000" }],
      [{ spanId: undefined }, { spanId: "" }],
      [{ traceId: "" }, { traceId: "" }],
      [{ parentSpanId: "010203" }, { parentSpanId: "010203" }],
      [{ startTimeUnixNano: "1760000000000000001", endTimeUnixNano: "1760000000000000000" }, { startNs: 1_760_000_000_000_000_001n, endNs: 1_760_000_000_000_000_000n }],
      [{ spanId: "0000000000000002" }, { spanId: "0000000000000002" }],
    ];
    const json = decode(jrequest(cases.map(([j]) => jspan(j))));
    const proto = decodeTracesProto(request(cases.map(([, p]) => span(p))), LIMITS);
    expect(json).toEqual(proto);
    expect(json.rejectedSpans).toBe(8);
    expect(json.rejectionMessage).toBe("span 1: trace_id must be 16 bytes, got 8");
    for (let i = 1; i < cases.length - 1; i++) {
      const one = decode(jrequest([jspan(cases[i][0])]));
      expect(one).toEqual(decodeTracesProto(request([span(cases[i][1])]), LIMITS));
      expect(one.rejectedSpans).toBe(1);
    }
  });

  it.each([
    [{ traceId: "zz" + TRACE_A.slice(2) }, "span 0: trace_id is not a valid hex string"],
    [{ spanId: SPAN_A.slice(1) }, "span 0: span_id is not a valid hex string"],
    [{ parentSpanId: "xyz" }, "span 0: parent_span_id is not a valid hex string"],
    [{ links: [{ traceId: "nothex", spanId: SPAN_B }] }, "span 0: link 0: trace_id is not a valid hex string"],
  ])("rejects ids that are not hex: %o", (fields, message) => {
    expect(decode(jrequest([jspan(fields), jspan({ spanId: SPAN_B })]))).toMatchObject({ rejectedSpans: 1, rejectionMessage: message, spans: [{ spanId: SPAN_B }] });
  });
});

describe("decodeTracesJson: malformed bodies", () => {
  it("rejects invalid JSON", () => {
    expect(() => decode('{"resourceSpans": [')).toThrowError(OtlpDecodeError);
    expect(() => decode('{"resourceSpans": [')).toThrowError(/^invalid JSON: /);
    expect(() => decode("")).toThrowError(/^invalid JSON: /);
    expect(() => decode("\u0000\u0001garbage")).toThrowError(/^invalid JSON: /);
  });

  const S = "resourceSpans[0].scopeSpans[0].spans[0] (span 0): ";
  it.each([
    ["[]", "ExportTraceServiceRequest: the body must be a JSON object"],
    ["null", "ExportTraceServiceRequest: the body must be a JSON object"],
    ['"x"', "ExportTraceServiceRequest: the body must be a JSON object"],
    [{ resourceSpans: {} }, "ExportTraceServiceRequest: resourceSpans must be an array"],
    [{ resource_spans: "x" }, "ExportTraceServiceRequest: resourceSpans must be an array"],
    [{ resourceSpans: [1] }, "resourceSpans[0]: must be a ResourceSpans object"],
    [{ resourceSpans: [{ scopeSpans: "x" }] }, "resourceSpans[0]: scopeSpans must be an array"],
    [{ resourceSpans: [{ resource: [], scopeSpans: [] }] }, "resourceSpans[0]: resource must be an object"],
    [{ resourceSpans: [{ resource: { attributes: [{ key: 1 }] } }] }, "resourceSpans[0]: resource.attributes[0].key must be a string"],
    [{ resourceSpans: [{ scopeSpans: [7] }] }, "resourceSpans[0].scopeSpans[0]: must be a ScopeSpans object"],
    [{ resourceSpans: [{ scopeSpans: [{ scope: { name: 5 } }] }] }, "resourceSpans[0].scopeSpans[0]: scope.name must be a string"],
    [{ resourceSpans: [{ scopeSpans: [{ spans: {} }] }] }, "resourceSpans[0].scopeSpans[0]: spans must be an array"],
    [jrequest([5]), S + "must be a Span object"],
    [jrequest([jspan({ traceId: 5 })]), S + "traceId must be a hex string"],
    [jrequest([jspan({ name: ["x"] })]), S + "name must be a string"],
    [jrequest([jspan({ kind: "SPAN_KIND_SERVER" })]), S + "kind must be an integer (enum values are numbers in OTLP/JSON)"],
    [jrequest([jspan({ kind: 1.5 })]), S + "kind must be an integer (enum values are numbers in OTLP/JSON)"],
    [jrequest([jspan({ startTimeUnixNano: "-5" })]), S + "startTimeUnixNano must be a uint64 (decimal string or integer number)"],
    [jrequest([jspan({ endTimeUnixNano: "18446744073709551616" })]), S + "endTimeUnixNano must be a uint64 (decimal string or integer number)"],
    [jrequest([jspan({ endTimeUnixNano: 1.5 })]), S + "endTimeUnixNano must be a uint64 (decimal string or integer number)"],
    [jrequest([jspan({ status: "ok" })]), S + "status must be an object"],
    [jrequest([jspan({ status: { code: "STATUS_CODE_ERROR" } })]), S + "status.code must be an integer (enum values are numbers in OTLP/JSON)"],
    [jrequest([jspan({ attributes: {} })]), S + "attributes must be an array"],
    [jrequest([jspan({ attributes: ["x"] })]), S + "attributes[0] must be a KeyValue object"],
    [jrequest([jspan({ attributes: [{ key: "a", value: "x" }] })]), S + "attributes[0].value must be an AnyValue object"],
    [jrequest([jspan({ attributes: [{ key: "a", value: { stringValue: 5 } }] })]), S + "attributes[0].value.stringValue must be a string"],
    [jrequest([jspan({ attributes: [{ key: "a", value: { intValue: "12x" } }] })]), S + 'attributes[0].value.intValue must be an int64 (decimal string or integer number), got "12x"'],
    [jrequest([jspan({ attributes: [{ key: "a", value: { intValue: 1.5 } }] })]), S + "attributes[0].value.intValue must be an int64 (decimal string or integer number), got 1.5"],
    [
      jrequest([jspan({ attributes: [{ key: "a", value: { intValue: "9223372036854775808" } }] })]),
      S + 'attributes[0].value.intValue must be an int64 (decimal string or integer number), got "9223372036854775808"',
    ],
    [jrequest([jspan({ attributes: [{ key: "a", value: { boolValue: "true" } }] })]), S + "attributes[0].value.boolValue must be true or false"],
    [jrequest([jspan({ attributes: [{ key: "a", value: { doubleValue: "fast" } }] })]), S + 'attributes[0].value.doubleValue must be a number, "NaN", "Infinity" or "-Infinity", got "fast"'],
    [jrequest([jspan({ attributes: [{ key: "a", value: { doubleValue: "0x10" } }] })]), S + 'attributes[0].value.doubleValue must be a number, "NaN", "Infinity" or "-Infinity", got "0x10"'],
    [jrequest([jspan({ attributes: [{ key: "a", value: { bytesValue: "***" } }] })]), S + "attributes[0].value.bytesValue is not valid base64"],
    [jrequest([jspan({ attributes: [{ key: "a", value: { arrayValue: [] } }] })]), S + "attributes[0].value.arrayValue must be an object"],
    [jrequest([jspan({ attributes: [{ key: "a", value: { arrayValue: { values: [{ intValue: "x" }] } } }] })]), S + 'attributes[0].value.arrayValue.values[0].intValue must be an int64 (decimal string or integer number), got "x"'],
    [jrequest([jspan({ attributes: [{ key: "a", value: { kvlistValue: { values: [{ key: 2 }] } } }] })]), S + "attributes[0].value.kvlistValue.values[0].key must be a string"],
    [jrequest([jspan({ events: {} })]), S + "events must be an array"],
    [jrequest([jspan({ events: [{ timeUnixNano: "soon" }] })]), S + "events[0].timeUnixNano must be a uint64 (decimal string or integer number)"],
    [jrequest([jspan({ events: [{ attributes: [{ key: 1 }] }] })]), S + "events[0].attributes[0].key must be a string"],
    [jrequest([jspan({ links: [{ traceId: 1 }] })]), S + "links[0].traceId must be a hex string"],
  ])("rejects %j", (body, message) => expectDecodeError(body, message));

  it("bounds the nesting of array / kvlist values", () => {
    let value: Json = { stringValue: "x" };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    expect(() => decode(jrequest([jspan({ attributes: [{ key: "deep", value }] })]))).toThrowError(/nested too deeply/);
  });
});

describe("decodeTracesJson: span limit", () => {
  it("throws TooManySpansError with the exact count before decoding anything", () => {
    const body = jrequest([jspan(), jspan({ spanId: "" }), jspan({ spanId: SPAN_B }), { name: 5 }]);
    expect(() => decode(body)).toThrowError(OtlpDecodeError);
    let error: unknown;
    try {
      decode(body, { maxSpans: 3, maxAttributeValueLength: 10 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooManySpansError);
    expect(error).toMatchObject({ count: 4, limit: 3, exact: true, httpStatus: 413 });
    expect((error as Error).message).toBe("request contains 4 spans, more than the limit of 3 spans per request");
    expect(decode(jrequest([jspan(), jspan({ spanId: "" })]), { maxSpans: 2, maxAttributeValueLength: 10 })).toMatchObject({ rejectedSpans: 1 });
  });
});
