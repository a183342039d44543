import { type Server, createServer } from "node:http";
import type { IngestQueue } from "../lib/ingest/queue";
import { type TracesLimits, handleTraces } from "./otlp/traces-handler";

/** The collector's HTTP surface: OTLP/HTTP traces and its own health. */
export function createCollectorServer(queue: IngestQueue, limits: TracesLimits): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/v1/traces") {
      void handleTraces(req, res, queue, limits);
    } else if (path === "/health" && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "ok", queue: { depth: queue.depth, capacity: queue.capacity } }));
    } else {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: 5, message: `no route for ${req.method} ${path}; OTLP traces go to POST /v1/traces` }));
    }
  });
  // Clients that keep connections open (OTel exporters do) must not hold a shutdown forever.
  server.keepAliveTimeout = 5_000;
  return server;
}
