import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";

/** The collector port the webServer in playwright.config.ts starts (COLLECTOR_PORT). */
export const COLLECTOR_PORT = 4328;
export const TRACES_URL = `http://127.0.0.1:${COLLECTOR_PORT}/v1/traces`;

/** Wraps the real OTLP/HTTP protobuf exporter and records whether each export succeeded. */
export class RecordingExporter implements SpanExporter {
  readonly results: Array<{ code: number; error?: Error }> = [];
  constructor(private readonly inner: OTLPTraceExporter) {}
  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    this.inner.export(spans, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
}

/** A tracer for one service whose spans go to the e2e collector through the real exporter. */
export function makeProvider(serviceName: string, version: string, tracerName: string) {
  const exporter = new RecordingExporter(new OTLPTraceExporter({ url: TRACES_URL, timeoutMillis: 10_000 }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName, "service.version": version }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 4096 })],
  });
  return { provider, exporter, tracer: provider.getTracer(tracerName) };
}
