import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeSDK } from "@opentelemetry/sdk-node";

/**
 * Self-instrumentation, off unless PINCHPOINT_SELF_TELEMETRY_ENDPOINT names an OTLP/HTTP
 * endpoint (e.g. another Pinchpoint, or an OTel Collector). Spans come from the tracer calls in
 * the code (ingest batches); HTTP auto-instrumentation is left out so that pointing a collector
 * at itself cannot feed back on every request.
 */
export function startSelfTelemetry(serviceName: string, endpoint: string | undefined): NodeSDK | undefined {
  if (!endpoint) return undefined;
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, "")}/v1/traces` }),
    instrumentations: [],
  });
  sdk.start();
  process.once("beforeExit", () => void sdk.shutdown());
  return sdk;
}
