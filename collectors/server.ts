import { type Server, createServer } from "node:http";
import type { Config } from "../lib/config";
import { InFlightLimit } from "../lib/ingest/in-flight";
import type { MetricsIngest } from "../lib/ingest/metrics-ingest";
import type { IngestQueue } from "../lib/ingest/queue";
import { type TracesLimits, handleTraces } from "./otlp/traces-handler";
import { type RemoteWriteLimits, handleRemoteWrite } from "./prometheus/remote-write-handler";
import { RemoteWriteCatalog } from "./prometheus/series-catalog";

/** The collector's HTTP surface: OTLP/HTTP traces, Prometheus remote_write (when `metrics` is given) and its own health. */
export function createCollectorServer(queue: IngestQueue, limits: TracesLimits & RemoteWriteLimits & Partial<Pick<Config, "maxConcurrentRequests" | "retryAfterSeconds">>,
  metrics?: MetricsIngest): Server {
  // Traces and samples share one bound: both hold their bodies in memory while they are decoded.
  const catalog = metrics && new RemoteWriteCatalog(metrics.registry);
  const inFlight = limits.maxConcurrentRequests ? new InFlightLimit(limits.maxConcurrentRequests, limits.retryAfterSeconds ?? 1) : undefined;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/v1/traces") {
      void handleTraces(req, res, queue, limits, inFlight);
    } else if (path === "/api/v1/write" && metrics && catalog) {
      void handleRemoteWrite(req, res, metrics, catalog, limits, inFlight);
    } else if (path === "/health" && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "ok", queue: { depth: queue.depth, capacity: queue.capacity },
        ...(metrics ? { metricsQueue: { depth: metrics.queue.depth, capacity: metrics.queue.capacity }, series: metrics.registry.size } : {}) }));
    } else {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: 5, message: `no route for ${req.method} ${path}; OTLP traces go to POST /v1/traces, remote_write to POST /api/v1/write` }));
    }
  });
  // Clients that keep connections open (OTel exporters do) must not hold a shutdown forever.
  server.keepAliveTimeout = 5_000;
  return server;
}
