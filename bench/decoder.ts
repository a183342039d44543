/**
 * Decode-only throughput of the OTLP trace decoders (collectors/otlp).
 *
 * The input is a realistic ExportTraceServiceRequest of 500 spans × 10 attributes (http server spans
 * and db client spans, string keys, mostly string values) made by the real OpenTelemetry JS SDK and
 * serialised by the real otlp-transformer serializers, the same code the OTLP exporters run.
 *
 *   npx tsx bench/decoder.ts
 */
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { decodeTracesJson } from "../collectors/otlp/decode-json";
import { decodeTracesProto } from "../collectors/otlp/decode-proto";
import { isMain } from "./is-main";

export interface DecoderBenchResult {
  spansPerRequest: number;
  attributesPerSpan: number;
  protobufBytes: number;
  jsonBytes: number;
  /** Spans decoded per second, protobuf body → SpanRecord[]. */
  protobufSpansPerSecond: number;
  /** Spans decoded per second, JSON text → SpanRecord[] (JSON.parse included). */
  jsonSpansPerSecond: number;
}

const SPANS = 500;
const LIMITS = { maxSpans: 10_000, maxAttributeValueLength: 4096 };

/** 500 spans in traces of 10: one http server span and nine db client spans each, 10 attributes per span. */
export function makeBenchSpans(count = SPANS): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": "checkout-api",
      "service.version": "2.14.1",
      "deployment.environment.name": "production",
      "host.name": "checkout-api-7d9f8b6c5-x2k4p",
      "telemetry.sdk.language": "nodejs",
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("@pinchpoint/bench", "1.0.0");
  const t0 = 1_760_000_000_000; // ms
  let root: ReturnType<typeof tracer.startSpan> | undefined;
  let rootCtx = context.active();
  for (let i = 0; i < count; i++) {
    const start = t0 + i * 3 + (i % 7) * 0.001237;
    if (i % 10 === 0) {
      root?.end(start);
      const orderId = 100000 + i;
      root = tracer.startSpan(
        "GET /v1/orders/:id",
        {
          kind: SpanKind.SERVER,
          startTime: start,
          attributes: {
            "http.request.method": "GET",
            "http.route": "/v1/orders/:id",
            "url.full": `https://api.example.com/v1/orders/${orderId}?expand=items`,
            "url.scheme": "https",
            "server.address": "api.example.com",
            "server.port": 443,
            "client.address": `10.0.${i % 250}.${(i * 7) % 250}`,
            "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
            "network.protocol.version": "1.1",
            "http.response.status_code": i % 50 === 0 ? 500 : 200,
          },
        },
      );
      if (i % 50 === 0) root.setStatus({ code: SpanStatusCode.ERROR, message: "upstream timeout" });
      rootCtx = trace.setSpan(context.active(), root);
    } else {
      const span = tracer.startSpan(
        i % 3 === 0 ? "SELECT orders" : "SELECT order_items",
        {
          kind: SpanKind.CLIENT,
          startTime: start + 0.25,
          attributes: {
            "db.system.name": "postgresql",
            "db.namespace": "shop",
            "db.operation.name": "SELECT",
            "db.collection.name": i % 3 === 0 ? "orders" : "order_items",
            "db.query.text": "SELECT id, status, total_cents FROM orders WHERE customer_id = $1 AND created_at > $2",
            "server.address": "pg-primary.internal",
            "server.port": 5432,
            "network.peer.address": "10.1.4.17",
            "db.response.returned_rows": (i * 13) % 40,
            "code.function.name": "OrderRepository.findRecent",
          },
        },
        rootCtx,
      );
      span.end(start + 1.5 + (i % 5) * 0.3333);
    }
  }
  root?.end(t0 + count * 3 + 10);
  const spans = exporter.getFinishedSpans();
  return spans;
}

function measure(run: () => number, seconds: number): number {
  const deadline = performance.now() + seconds * 1000;
  let spans = 0;
  const t0 = performance.now();
  let now = t0;
  while (now < deadline) {
    for (let i = 0; i < 20; i++) spans += run();
    now = performance.now();
  }
  return spans / ((now - t0) / 1000);
}

/** The bench request as protobuf bytes and as JSON text. */
export function makeBenchBodies(count = SPANS): { spans: ReadableSpan[]; proto: Uint8Array; json: string } {
  const spans = makeBenchSpans(count);
  const proto = ProtobufTraceSerializer.serializeRequest(spans);
  const jsonBytes = JsonTraceSerializer.serializeRequest(spans);
  if (!proto || !jsonBytes) throw new Error("serializer returned nothing");
  return { spans, proto, json: Buffer.from(jsonBytes).toString("utf8") };
}

export function runDecoderBench(opts: { seconds?: number; warmupSeconds?: number; print?: boolean } = {}): DecoderBenchResult {
  const seconds = opts.seconds ?? 3;
  const warmup = opts.warmupSeconds ?? 1;
  const { spans, proto, json } = makeBenchBodies();

  const runProto = () => decodeTracesProto(proto, LIMITS).spans.length;
  const runJson = () => decodeTracesJson(json, LIMITS).spans.length;
  if (runProto() !== spans.length || runJson() !== spans.length) throw new Error("decoders did not return every span");

  measure(runProto, warmup);
  const protobufSpansPerSecond = measure(runProto, seconds);
  measure(runJson, warmup);
  const jsonSpansPerSecond = measure(runJson, seconds);

  const result: DecoderBenchResult = {
    spansPerRequest: spans.length,
    attributesPerSpan: 10,
    protobufBytes: proto.length,
    jsonBytes: Buffer.byteLength(json),
    protobufSpansPerSecond: Math.round(protobufSpansPerSecond),
    jsonSpansPerSecond: Math.round(jsonSpansPerSecond),
  };
  if (opts.print ?? true) {
    console.log(
      `decoder input: ${result.spansPerRequest} spans × ${result.attributesPerSpan} attributes; protobuf ${result.protobufBytes} bytes, json ${result.jsonBytes} bytes`,
    );
    console.log(`decoder (protobuf): ${result.protobufSpansPerSecond} spans/s`);
    console.log(`decoder (json): ${result.jsonSpansPerSecond} spans/s`);
  }
  return result;
}

if (isMain(import.meta.url)) runDecoderBench();
