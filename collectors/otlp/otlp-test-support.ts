/**
 * Test support for the OTLP decoders: real spans from the OpenTelemetry JS SDK exported by the real
 * OTLP exporters to a local capture server, and a tiny protobuf writer for hand-made messages.
 * Used by tests only.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type IdGenerator,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";

// ---------------------------------------------------------------------------------------------
// Real SDK spans

/** Deterministic, realistic-looking ids: `${prefix}${counter}` padded to length. */
export class SequenceIds implements IdGenerator {
  private trace = 0;
  private span = 0;
  constructor(private readonly tag = 1) {}
  generateTraceId(): string {
    this.trace++;
    return `4bf92f3577b34da6a3ce929d${this.tag.toString(16).padStart(2, "0")}${this.trace.toString(16).padStart(6, "0")}`;
  }
  generateSpanId(): string {
    this.span++;
    return `00f067aa${this.tag.toString(16).padStart(2, "0")}${this.span.toString(16).padStart(6, "0")}`;
  }
}

export interface TestTracing {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
}

/** A tracer provider with the given resource attributes whose finished spans stay in memory. */
export function testTracing(resource: Record<string, unknown>, idTag = 1): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    // The SDK passes resource values through unchecked, so bytes (Uint8Array) and kvlists (objects)
    // reach the exporters' serializers from here.
    resource: resourceFromAttributes(resource as never),
    idGenerator: new SequenceIds(idTag),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { provider, exporter };
}

// ---------------------------------------------------------------------------------------------
// Real exporters → local capture server

export interface CapturedRequest {
  /** Body as received, gunzipped when Content-Encoding was gzip. */
  body: Buffer;
  /** Body as received on the wire. */
  wire: Buffer;
  headers: IncomingHttpHeaders;
}

export type ExportEncoding = "protobuf" | "json";

/**
 * Sends `spans` with the real OTLP/HTTP exporter (@opentelemetry/exporter-trace-otlp-proto for
 * protobuf, -otlp-http for JSON) to a server on 127.0.0.1 (port 0) and returns the request it got.
 */
export async function exportAndCapture(spans: ReadableSpan[], encoding: ExportEncoding, gzip = false): Promise<CapturedRequest> {
  const received: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const wire = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
      received.push({ body, wire, headers: req.headers });
      res.writeHead(200, { "Content-Type": encoding === "protobuf" ? "application/x-protobuf" : "application/json" });
      res.end(encoding === "json" ? "{}" : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const config = {
    url: `http://127.0.0.1:${port}/v1/traces`,
    compression: gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: 10_000,
  };
  const exporter = encoding === "protobuf" ? new ProtoTraceExporter(config) : new JsonTraceExporter(config);
  try {
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
    if (result.code !== ExportResultCode.SUCCESS) throw result.error ?? new Error("export failed");
  } finally {
    await exporter.shutdown();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (received.length !== 1) throw new Error(`expected one export request, got ${received.length}`);
  return received[0];
}

// ---------------------------------------------------------------------------------------------
// A tiny protobuf writer for hand-made messages

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const SGROUP = 3;
export const EGROUP = 4;
export const I32 = 5;

export function varintBytes(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export type Bytes = Uint8Array | number[];

/** Builder: `new Pb().string(1, "x").message(2, new Pb()...).bytes()`. */
export class Pb {
  readonly parts: number[] = [];

  raw(bytes: Bytes): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  tag(field: number, wireType: number): this {
    return this.raw(varintBytes(field * 8 + wireType));
  }
  varint(field: number, value: number | bigint): this {
    return this.tag(field, VARINT).raw(varintBytes(value));
  }
  fixed64(field: number, value: number | bigint): this {
    const v = BigInt.asUintN(64, BigInt(value));
    const b: number[] = [];
    for (let i = 0n; i < 8n; i++) b.push(Number((v >> (8n * i)) & 0xffn));
    return this.tag(field, I64).raw(b);
  }
  fixed32(field: number, value: number): this {
    const v = value >>> 0;
    return this.tag(field, I32).raw([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
  }
  double(field: number, value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    return this.tag(field, I64).raw(b);
  }
  len(field: number, bytes: Bytes): this {
    return this.tag(field, LEN).raw(varintBytes(bytes.length)).raw(bytes);
  }
  string(field: number, s: string): this {
    return this.len(field, Buffer.from(s, "utf8"));
  }
  message(field: number, inner: Pb): this {
    return this.len(field, inner.parts);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function hexBytes(hex: string): number[] {
  return [...Buffer.from(hex, "hex")];
}

// OTLP message helpers (field numbers of opentelemetry-proto)

export const anyString = (s: string) => new Pb().string(1, s);
export const anyBool = (b: boolean) => new Pb().varint(2, b ? 1 : 0);
export const anyInt = (v: number | bigint) => new Pb().varint(3, v);
export const anyDouble = (d: number) => new Pb().double(4, d);
export const anyArray = (...values: Pb[]) => new Pb().message(5, values.reduce((a, v) => a.message(1, v), new Pb()));
export const anyKvlist = (...kvs: Pb[]) => new Pb().message(6, kvs.reduce((a, kv) => a.message(1, kv), new Pb()));
export const anyBytes = (b: Bytes) => new Pb().len(7, b);
export const keyValue = (key: string, value?: Pb) => (value ? new Pb().string(1, key).message(2, value) : new Pb().string(1, key));

export interface SpanFields {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startNs?: bigint;
  endNs?: bigint;
  attributes?: Pb[];
  status?: { code?: number; message?: string };
  extra?: (span: Pb) => void;
}

export const TRACE_A = "5b8efff798038103d269b633813fc60c";
export const SPAN_A = "eee19b7ec3c1b174";
export const SPAN_B = "eee19b7ec3c1b175";

/** A Span message; ids are hex, "" leaves the field out. */
export function span(f: SpanFields = {}): Pb {
  const s = new Pb();
  const traceId = f.traceId ?? TRACE_A;
  const spanId = f.spanId ?? SPAN_A;
  if (traceId) s.len(1, hexBytes(traceId));
  if (spanId) s.len(2, hexBytes(spanId));
  if (f.parentSpanId) s.len(4, hexBytes(f.parentSpanId));
  s.string(5, f.name ?? "op");
  if (f.kind !== undefined) s.varint(6, f.kind);
  s.fixed64(7, f.startNs ?? 1_760_000_000_000_000_000n);
  s.fixed64(8, f.endNs ?? 1_760_000_000_002_000_000n);
  for (const kv of f.attributes ?? []) s.message(9, kv);
  if (f.status) {
    const st = new Pb();
    if (f.status.message !== undefined) st.string(2, f.status.message);
    if (f.status.code !== undefined) st.varint(3, f.status.code);
    s.message(15, st);
  }
  f.extra?.(s);
  return s;
}

/** ExportTraceServiceRequest with one ResourceSpans (service `service`) and one ScopeSpans. */
export function request(spans: Pb[], service = "svc", scope = "scope"): Uint8Array {
  const scopeSpans = new Pb().message(1, new Pb().string(1, scope));
  for (const s of spans) scopeSpans.message(2, s);
  const resource = new Pb().message(1, keyValue("service.name", anyString(service)));
  return new Pb().message(1, new Pb().message(1, resource).message(2, scopeSpans)).bytes();
}

// ---------------------------------------------------------------------------------------------
// A varied set of real SDK spans (the expected records are spelled out in decode-sdk.test.ts)

export const LINKED_TRACE = "0af7651916cd43dd8448eb211c80319c";
export const LINKED_SPAN = "b7ad6b7169203331";

/**
 * Spans of three resources (checkout: two scopes; billing; one without service.name), with every
 * attribute kind the SDK can carry, events, a link, statuses and a parent/child pair.
 */
export function richSpans(): ReadableSpan[] {
  const checkout = testTracing(
    {
      "service.name": "checkout",
      "deployment.environment.name": "prod",
      bin: new Uint8Array([1, 2, 255]),
      obj: { a: 1, b: "x", c: [true, false] },
    },
    1,
  );
  const http = checkout.provider.getTracer("http-server", "1.2.0");
  const root = http.startSpan("GET /orders/:id", {
    kind: SpanKind.SERVER,
    startTime: [1_760_000_000, 123_456_789],
    attributes: {
      "http.request.method": "GET",
      "http.response.status_code": 500,
      ok: false,
      ratio: 0.25,
      big: 2 ** 62,
      negBig: -(2 ** 62),
      neg: -42,
      tags: ["a", "b"],
      nums: [1, 2.5],
      quote: 'say "hi"\n\tand \\ bye\u0001',
      unicode: "héllo ✓ 😀",
      emoji: "ab😀c",
    },
  });
  root.addEvent("exception", { "exception.type": "Error", "exception.message": "boom" }, [1_760_000_000, 124_000_000]);
  root.addEvent("retry", [1_760_000_000, 124_500_000]);
  root.setStatus({ code: SpanStatusCode.ERROR, message: "upstream timeout" });
  const child = http.startSpan(
    "SELECT orders",
    {
      kind: SpanKind.CLIENT,
      startTime: [1_760_000_000, 130_000_000],
      attributes: { "db.system.name": "postgresql" },
      links: [{ context: { traceId: LINKED_TRACE, spanId: LINKED_SPAN, traceFlags: 1 }, attributes: { "link.kind": "follows" } }],
    },
    trace.setSpan(context.active(), root),
  );
  child.end([1_760_000_000, 130_001_234]);
  root.end([1_760_000_000, 223_456_789]);
  const db = checkout.provider.getTracer("db");
  const insert = db.startSpan("INSERT", { kind: SpanKind.INTERNAL, startTime: [1_760_000_001, 0] });
  insert.setStatus({ code: SpanStatusCode.OK });
  insert.end([1_760_000_001, 5_000_000]);

  const billing = testTracing({ "service.name": "billing" }, 2);
  const queue = billing.provider.getTracer("queue");
  queue.startSpan("charge publish", { kind: SpanKind.PRODUCER, startTime: [1_760_000_002, 0] }).end([1_760_000_002, 1]);
  queue.startSpan("charge process", { kind: SpanKind.CONSUMER, startTime: [1_760_000_003, 999_999_999] }).end([1_760_000_004, 0]);

  const anonymous = testTracing({ "host.name": "h1" }, 3);
  anonymous.provider.getTracer("").startSpan("tick", { startTime: [1_760_000_005, 500_000] }).end([1_760_000_005, 500_000]);

  return [...checkout.exporter.getFinishedSpans(), ...billing.exporter.getFinishedSpans(), ...anonymous.exporter.getFinishedSpans()];
}

// ---------------------------------------------------------------------------------------------
// Every AnyValue kind

/** Every AnyValue kind, hand-encoded; decode-json.test.ts has the same in OTLP/JSON. */
export const ALL_KINDS_ATTRIBUTES = [
  keyValue("s", anyString("text")),
  keyValue("empty", anyString("")),
  keyValue("t", anyBool(true)),
  keyValue("f", anyBool(false)),
  keyValue("zero", anyInt(0)),
  keyValue("minus1", anyInt(-1)),
  keyValue("maxSafe", anyInt(Number.MAX_SAFE_INTEGER)),
  keyValue("minSafe", anyInt(-Number.MAX_SAFE_INTEGER)),
  keyValue("pow53", anyInt(2n ** 53n)),
  keyValue("pow53plus1", anyInt(2n ** 53n + 1n)),
  keyValue("minus2pow53", anyInt(-(2n ** 53n))),
  keyValue("int64max", anyInt(9223372036854775807n)),
  keyValue("int64min", anyInt(-9223372036854775808n)),
  keyValue("d", anyDouble(1.5)),
  keyValue("dInt", anyDouble(3)),
  keyValue("negZero", anyDouble(-0)),
  keyValue("tiny", anyDouble(5e-324)),
  keyValue("huge", anyDouble(1e300)),
  keyValue("nan", anyDouble(NaN)),
  keyValue("inf", anyDouble(Infinity)),
  keyValue("ninf", anyDouble(-Infinity)),
  keyValue("arr", anyArray(anyInt(1), anyString("a"), anyArray(anyBool(true)), new Pb(), anyKvlist(keyValue("k", anyDouble(0.5))))),
  keyValue("emptyArr", anyArray()),
  keyValue("kv", anyKvlist(keyValue("n", new Pb()), keyValue("inner", anyKvlist(keyValue("deep", anyString("x")))), keyValue("noValue"))),
  keyValue("emptyKv", anyKvlist()),
  keyValue("bytes", anyBytes([0, 1, 2, 250, 255])),
  keyValue("emptyBytes", anyBytes([])),
  keyValue("nothing", new Pb()),
  keyValue("noValue"),
  new Pb().message(2, anyString("no key")),
];

export const ALL_KINDS_TEXT =
  '{"s":"text","empty":"","t":true,"f":false,"zero":0,"minus1":-1,' +
  '"maxSafe":9007199254740991,"minSafe":-9007199254740991,"pow53":"9007199254740992","pow53plus1":"9007199254740993",' +
  '"minus2pow53":"-9007199254740992","int64max":"9223372036854775807","int64min":"-9223372036854775808",' +
  '"d":1.5,"dInt":3,"negZero":0,"tiny":5e-324,"huge":1e+300,"nan":"NaN","inf":"Infinity","ninf":"-Infinity",' +
  '"arr":[1,"a",[true],null,{"k":0.5}],"emptyArr":[],' +
  '"kv":{"n":null,"inner":{"deep":"x"},"noValue":null},"emptyKv":{},' +
  '"bytes":"AAEC+v8=","emptyBytes":"","nothing":null,"noValue":null,"":"no key"}';

