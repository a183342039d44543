import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Test support: spans sent the way applications send them, through the real OTel SDK exporters. */
export interface SentRequest { durationMs: number; error: boolean }

export interface ClientOptions { endpoint: string; protocol: "proto" | "json"; gzip: boolean; service: string; headers?: Record<string, string> }

export function tracerProvider(o: ClientOptions): BasicTracerProvider {
  // `compression` takes the exporters' CompressionAlgorithm enum, whose values are these strings.
  const compression = (o.gzip ? "gzip" : "none") as NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>["compression"];
  const options = { url: `${o.endpoint}/v1/traces`, compression, headers: o.headers };
  const exporter = o.protocol === "proto" ? new ProtoExporter(options) : new JsonExporter(options);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": o.service }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 500, maxQueueSize: 100_000, scheduledDelayMillis: 50 })],
  });
}

/**
 * One server span per request (its duration and status as given), each with a client child
 * ("SELECT items") taking half of it, all starting within the last `spreadMs`.
 */
export async function sendRequests(o: ClientOptions, requests: SentRequest[], now = Date.now(), spreadMs = 4 * 60_000): Promise<void> {
  const provider = tracerProvider(o);
  const tracer = provider.getTracer("pinchpoint-test");
  requests.forEach((r, i) => {
    const start = now - spreadMs + (i * spreadMs) / requests.length;
    const server = tracer.startSpan("GET /items", { kind: SpanKind.SERVER, startTime: start, attributes: { "http.route": "/items", "http.request.method": "GET" } });
    if (r.error) server.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
    const child = tracer.startSpan("SELECT items", { kind: SpanKind.CLIENT, startTime: start + r.durationMs / 4 },
      trace.setSpan(context.active(), server));
    child.end(start + (3 * r.durationMs) / 4);
    server.end(start + r.durationMs);
  });
  await provider.forceFlush();
  await provider.shutdown();
}
