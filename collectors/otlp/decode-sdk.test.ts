/**
 * The decoders against real request bodies: spans made by the OpenTelemetry JS SDK and sent by the
 * real OTLP/HTTP exporters (protobuf and JSON, plain and gzip) to a local capture server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SpanRecord } from "../../lib/ingest/span-record";
import { decodeTracesJson } from "./decode-json";
import { decodeTracesProto } from "./decode-proto";
import { type DecodeLimits, type DecodeResult, OtlpDecodeError } from "./decode-types";
import { type CapturedRequest, type ExportEncoding, LINKED_SPAN, LINKED_TRACE, exportAndCapture, richSpans } from "./otlp-test-support";

const LIMITS: DecodeLimits = { maxSpans: 1000, maxAttributeValueLength: 4096 };

function decode(req: CapturedRequest, encoding: ExportEncoding, limits = LIMITS): DecodeResult {
  return encoding === "protobuf" ? decodeTracesProto(req.body, limits) : decodeTracesJson(req.body.toString("utf8"), limits);
}

const CHECKOUT_RESOURCE = JSON.stringify({
  "service.name": "checkout",
  "deployment.environment.name": "prod",
  bin: Buffer.from([1, 2, 255]).toString("base64"),
  obj: { a: 1, b: "x", c: [true, false] },
});

const ROOT_ATTRIBUTES = JSON.stringify({
  "http.request.method": "GET",
  "http.response.status_code": 500,
  ok: false,
  ratio: 0.25,
  big: "4611686018427387904",
  negBig: "-4611686018427387904",
  neg: -42,
  tags: ["a", "b"],
  nums: [1, 2.5],
  quote: 'say "hi"\n\tand \\ bye\u0001',
  unicode: "héllo ✓ 😀",
  emoji: "ab😀c",
});

const T1 = "4bf92f3577b34da6a3ce929d01000001";

const EXPECTED: SpanRecord[] = [
  {
    traceId: T1,
    spanId: "00f067aa01000002",
    parentSpanId: "00f067aa01000001",
    service: "checkout",
    name: "SELECT orders",
    kind: 3,
    startMs: 1760000000130,
    durationMs: 0.001234,
    statusCode: 0,
    statusMessage: "",
    attributes: '{"db.system.name":"postgresql"}',
    resource: CHECKOUT_RESOURCE,
    scope: "http-server",
    events: "[]",
    links: `[{"traceId":"${LINKED_TRACE}","spanId":"${LINKED_SPAN}","attributes":{"link.kind":"follows"}}]`,
  },
  {
    traceId: T1,
    spanId: "00f067aa01000001",
    parentSpanId: "",
    service: "checkout",
    name: "GET /orders/:id",
    kind: 2,
    startMs: 1760000000123.456789,
    durationMs: 100,
    statusCode: 2,
    statusMessage: "upstream timeout",
    attributes: ROOT_ATTRIBUTES,
    resource: CHECKOUT_RESOURCE,
    scope: "http-server",
    events:
      '[{"timeMs":1760000000124,"name":"exception","attributes":{"exception.type":"Error","exception.message":"boom"}},' +
      '{"timeMs":1760000000124.5,"name":"retry","attributes":{}}]',
    links: "[]",
  },
  {
    traceId: "4bf92f3577b34da6a3ce929d01000002",
    spanId: "00f067aa01000003",
    parentSpanId: "",
    service: "checkout",
    name: "INSERT",
    kind: 1,
    startMs: 1760000001000,
    durationMs: 5,
    statusCode: 1,
    statusMessage: "",
    attributes: "{}",
    resource: CHECKOUT_RESOURCE,
    scope: "db",
    events: "[]",
    links: "[]",
  },
  {
    traceId: "4bf92f3577b34da6a3ce929d02000001",
    spanId: "00f067aa02000001",
    parentSpanId: "",
    service: "billing",
    name: "charge publish",
    kind: 4,
    startMs: 1760000002000,
    durationMs: 0.000001,
    statusCode: 0,
    statusMessage: "",
    attributes: "{}",
    resource: '{"service.name":"billing"}',
    scope: "queue",
    events: "[]",
    links: "[]",
  },
  {
    traceId: "4bf92f3577b34da6a3ce929d02000002",
    spanId: "00f067aa02000002",
    parentSpanId: "",
    service: "billing",
    name: "charge process",
    kind: 5,
    startMs: 1760000003999.999999,
    durationMs: 0.000001,
    statusCode: 0,
    statusMessage: "",
    attributes: "{}",
    resource: '{"service.name":"billing"}',
    scope: "queue",
    events: "[]",
    links: "[]",
  },
  {
    traceId: "4bf92f3577b34da6a3ce929d03000001",
    spanId: "00f067aa03000001",
    parentSpanId: "",
    service: "unknown_service",
    name: "tick",
    kind: 1,
    startMs: 1760000005000.5,
    durationMs: 0,
    statusCode: 0,
    statusMessage: "",
    attributes: "{}",
    resource: '{"host.name":"h1"}',
    scope: "",
    events: "[]",
    links: "[]",
  },
];

const cases: [ExportEncoding, boolean][] = [
  ["protobuf", false],
  ["protobuf", true],
  ["json", false],
  ["json", true],
];

const captured = new Map<string, CapturedRequest>();

beforeAll(async () => {
  const spans = richSpans();
  for (const [encoding, gzip] of cases) captured.set(`${encoding}/${gzip}`, await exportAndCapture(spans, encoding, gzip));
}, 60_000);

describe.each(cases)("real %s exporter (gzip %s)", (encoding, gzip) => {
  const req = () => captured.get(`${encoding}/${gzip}`)!;

  it("sent what we think it sent", () => {
    const r = req();
    expect(r.headers["content-type"]).toBe(encoding === "protobuf" ? "application/x-protobuf" : "application/json");
    expect(r.headers["content-encoding"]).toBe(gzip ? "gzip" : undefined);
    if (gzip) expect(r.wire.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(r.body.length).toBeGreaterThan(500);
  });

  it("refuses the still-compressed body as malformed", () => {
    if (!gzip) return;
    const wire = req().wire;
    if (encoding === "protobuf") {
      // gzip's magic byte 0x1f reads as field 3 with the invalid wire type 7
      expect(() => decodeTracesProto(wire, LIMITS)).toThrowError(new OtlpDecodeError("ExportTraceServiceRequest: invalid wire type 7 (field 3) at byte 0"));
    } else {
      expect(() => decodeTracesJson(wire.toString("latin1"), LIMITS)).toThrowError(/^invalid JSON: /);
    }
  });

  it("decodes every span, field by field", () => {
    const result = decode(req(), encoding);
    expect(result.rejectedSpans).toBe(0);
    expect(result.rejectionMessage).toBe("");
    expect(result.spans).toHaveLength(EXPECTED.length);
    for (let i = 0; i < EXPECTED.length; i++) expect(result.spans[i], `span ${i}`).toEqual(EXPECTED[i]);
  });

  it("produces JSON texts that parse back to the values", () => {
    const root = decode(req(), encoding).spans[1];
    const attrs = JSON.parse(root.attributes);
    expect(attrs.quote).toBe('say "hi"\n\tand \\ bye\u0001');
    expect(attrs.unicode).toBe("héllo ✓ 😀");
    expect(attrs.big).toBe("4611686018427387904");
    expect(JSON.parse(root.resource).obj).toEqual({ a: 1, b: "x", c: [true, false] });
    expect(JSON.parse(root.events)[0].attributes["exception.message"]).toBe("boom");
  });

  it("truncates string values (also in arrays, kvlists, events, links and the resource) to the limit", () => {
    const result = decode(req(), encoding, { maxSpans: 1000, maxAttributeValueLength: 3 });
    const [child, root] = result.spans;
    const attrs = JSON.parse(root.attributes);
    expect(attrs["http.request.method"]).toBe("GET");
    expect(attrs.quote).toBe("say");
    expect(attrs.unicode).toBe("hél");
    expect(attrs.emoji).toBe("ab"); // a surrogate pair is not split
    expect(attrs.tags).toEqual(["a", "b"]);
    expect(root.resource).toBe(JSON.stringify({ "service.name": "che", "deployment.environment.name": "pro", bin: "AQL/", obj: { a: 1, b: "x", c: [true, false] } }));
    expect(root.service).toBe("che");
    expect(root.name).toBe("GET /orders/:id"); // names are not attribute values
    expect(root.statusMessage).toBe("upstream timeout");
    expect(JSON.parse(root.events)[0]).toEqual({ timeMs: 1760000000124, name: "exception", attributes: { "exception.type": "Err", "exception.message": "boo" } });
    expect(JSON.parse(child.links)[0].attributes).toEqual({ "link.kind": "fol" });
    expect(child.attributes).toBe('{"db.system.name":"pos"}');
  });

  it("enforces the span limit with TooManySpansError", () => {
    expect(() => decode(req(), encoding, { maxSpans: 5, maxAttributeValueLength: 100 })).toThrowError(
      "request contains 6 spans, more than the limit of 5 spans per request",
    );
    expect(decode(req(), encoding, { maxSpans: 6, maxAttributeValueLength: 100 }).spans).toHaveLength(6);
  });
});

describe("protobuf and JSON", () => {
  it("give identical records for the same spans, with and without gzip", () => {
    const proto = decode(captured.get("protobuf/false")!, "protobuf");
    expect(decode(captured.get("json/false")!, "json")).toEqual(proto);
    expect(decode(captured.get("protobuf/true")!, "protobuf")).toEqual(proto);
    expect(decode(captured.get("json/true")!, "json")).toEqual(proto);
    const short: DecodeLimits = { maxSpans: 100, maxAttributeValueLength: 2 };
    expect(decode(captured.get("json/false")!, "json", short)).toEqual(decode(captured.get("protobuf/false")!, "protobuf", short));
  });
});
