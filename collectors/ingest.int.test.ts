import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SentRequest, sendRequests } from "../lib/testing/otel-client";
import { type Proc, forEachStore, startCollectorProcess, startWebProcess } from "../lib/testing/processes";
import { mulberry32 } from "../lib/testing/prng";

function requestsFor(seed: number, n: number): SentRequest[] {
  const rnd = mulberry32(seed);
  // Log-normal-ish latencies around 20 ms with a tail; about 5 % errors.
  return Array.from({ length: n }, () => ({ durationMs: Math.exp(3 + 0.8 * (rnd() + rnd() + rnd() - 1.5) * 2), error: rnd() < 0.05 }));
}

const exact = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))];

interface ServiceJson { name: string; count: number; errors: number; requestRate: number; errorRate: number; p50Ms: number; p95Ms: number; p99Ms: number;
  operations: { name: string; kind: string; count: number; errors: number; p99Ms: number }[] }

const CLIENTS = [
  { protocol: "proto", gzip: false },
  { protocol: "proto", gzip: true },
  { protocol: "json", gzip: false },
  { protocol: "json", gzip: true },
] as const;

function ingestSuite(name: string, databaseUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>) {
  describe(`ingest → store → /api/services (${name})`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let collector: Proc & { port: number };
    let web: Proc & { port: number };
    const sent = new Map<string, SentRequest[]>();

    beforeAll(async () => {
      db = await databaseUrl();
      collector = await startCollectorProcess({ DATABASE_URL: db.url });
      web = await startWebProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collector.port) });
      await Promise.all(CLIENTS.map(async (c, i) => {
        const service = `shop-${c.protocol}${c.gzip ? "-gzip" : ""}`;
        const requests = requestsFor(100 + i, 700);
        sent.set(service, requests);
        await sendRequests({ endpoint: `http://127.0.0.1:${collector.port}`, service, ...c }, requests);
      }));
    });

    afterAll(async () => {
      await Promise.all([web?.stop(), collector?.stop()]);
      await db?.cleanup();
    });

    it("reports exact counts and percentiles within 2 % for every client encoding", async () => {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/services?window=1h`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { window: string; services: ServiceJson[] };
      expect(body.window).toBe("1h");
      expect(body.services.map((s) => s.name).sort()).toEqual([...sent.keys()].sort());
      for (const s of body.services) {
        const requests = sent.get(s.name)!;
        const errors = requests.filter((r) => r.error).length;
        const sorted = requests.map((r) => r.durationMs).sort((a, b) => a - b);
        // The service is described by its entry (server) spans only.
        expect(s.count, s.name).toBe(requests.length);
        expect(s.errors, s.name).toBe(errors);
        expect(s.errorRate).toBeCloseTo(errors / requests.length, 10);
        expect(s.requestRate).toBeCloseTo(requests.length / 3600, 6);
        for (const [q, got] of [[0.5, s.p50Ms], [0.95, s.p95Ms], [0.99, s.p99Ms]] as const) {
          expect(Math.abs(got - exact(sorted, q)) / exact(sorted, q), `${s.name} p${q * 100}`).toBeLessThanOrEqual(0.02 + 1e-9);
        }
        const ops = Object.fromEntries(s.operations.map((o) => [o.name, o]));
        expect(ops["GET /items"]).toMatchObject({ kind: "server", count: requests.length, errors });
        expect(ops["SELECT items"]).toMatchObject({ kind: "client", count: requests.length, errors: 0 });
        const childSorted = sorted.map((d) => d / 2);
        expect(Math.abs(ops["SELECT items"].p99Ms - exact(childSorted, 0.99)) / exact(childSorted, 0.99)).toBeLessThanOrEqual(0.02 + 1e-9);
      }
    });

    it("serves a latency series per service for the chart", async () => {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/services/latency?window=15m`);
      const body = (await res.json()) as { stepMs: number; series: { service: string; points: { t: number; count: number }[] }[] };
      expect(body.stepMs).toBe(60_000);
      for (const s of body.series) {
        expect(s.points.reduce((n, p) => n + p.count, 0), s.service).toBe(sent.get(s.service)!.length);
      }
    });

    it("reports the store reachable and the queue drained", async () => {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", store: { reachable: true }, queue: { depth: 0 } });
    });

    it("loses nothing acknowledged when the collector is killed and restarted", async () => {
      const requests = requestsFor(9, 1000);
      await sendRequests({ endpoint: `http://127.0.0.1:${collector.port}`, service: "restarted", protocol: "proto", gzip: false }, requests);
      await collector.stop("SIGKILL");
      collector = await startCollectorProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collector.port) });
      const body = (await (await fetch(`http://127.0.0.1:${web.port}/api/services?window=1h`)).json()) as { services: ServiceJson[] };
      expect(body.services.find((s) => s.name === "restarted")?.count).toBe(1000);
    });

    it("finds traces and opens one with self times and its critical path", async () => {
      const search = await (await fetch(`http://127.0.0.1:${web.port}/api/traces?window=1h&service=shop-json&operation=GET%20/items&limit=3`)).json();
      expect(search.traces).toHaveLength(3);
      const slowest = Math.max(...sent.get("shop-json")!.map((r) => r.durationMs));
      expect(search.traces[0]).toMatchObject({ service: "shop-json", operation: "GET /items" });
      expect(search.traces[0].durationMs).toBeCloseTo(slowest, 3);
      const trace = await (await fetch(`http://127.0.0.1:${web.port}/api/traces/${search.traces[0].traceId}`)).json();
      expect(trace.spans).toHaveLength(2);
      const server = trace.spans.find((s: { kind: string }) => s.kind === "server");
      const client = trace.spans.find((s: { kind: string }) => s.kind === "client");
      expect(client.parentSpanId).toBe(server.spanId);
      expect(server.selfMs).toBeCloseTo(slowest / 2, 3);
      expect(trace.criticalPath.map((s: { spanId: string }) => s.spanId)).toEqual([server.spanId, client.spanId, server.spanId]);
      const covered = trace.criticalPath.reduce((t: number, s: { startMs: number; endMs: number }) => t + s.endMs - s.startMs, 0);
      expect(covered).toBeCloseTo(server.durationMs, 3);
      expect((await fetch(`http://127.0.0.1:${web.port}/api/traces/${"ab".repeat(16)}`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${web.port}/api/traces/nothex`)).status).toBe(400);
    });

    it("rejects a bad window with 400 and a message", async () => {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/services?window=2w`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/window must be one of/);
    });
  });
}

forEachStore(ingestSuite);
