import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpanKind, context, trace } from "@opentelemetry/api";
import { tracerProvider } from "../lib/testing/otel-client";
import { type Proc, forEachStore, startCollectorProcess, startWebProcess } from "../lib/testing/processes";

const TRACES = 60;

/**
 * checkout POST /checkout 0–100 ms: five sequential SELECT cart calls (0–20), a GET /stock call
 * 25–95 served by inventory 27–93 (the request waits on it), and a slow POST /audit 30–80 that
 * runs beside GET /stock and ends first, so nobody waits on it. Critical path per trace:
 * inventory GET /stock 66 ms, SELECT cart 20, POST /checkout 10, the GET /stock client 4.
 */
async function sendCheckouts(endpoint: string): Promise<void> {
  const checkout = tracerProvider({ endpoint, protocol: "proto", gzip: false, service: "checkout" });
  const inventory = tracerProvider({ endpoint, protocol: "proto", gzip: false, service: "inventory" });
  const t = checkout.getTracer("test");
  const i = inventory.getTracer("test");
  const base = Date.now() - 5 * 60_000;
  for (let n = 0; n < TRACES; n++) {
    const at = (ms: number) => base + n * 1000 + ms;
    const root = t.startSpan("POST /checkout", { kind: SpanKind.SERVER, startTime: at(0) });
    const ctx = trace.setSpan(context.active(), root);
    for (let q = 0; q < 5; q++) t.startSpan("SELECT cart", { kind: SpanKind.CLIENT, startTime: at(q * 4) }, ctx).end(at(q * 4 + 4));
    const stock = t.startSpan("GET /stock", { kind: SpanKind.CLIENT, startTime: at(25) }, ctx);
    i.startSpan("GET /stock", { kind: SpanKind.SERVER, startTime: at(27) }, trace.setSpan(context.active(), stock)).end(at(93));
    stock.end(at(95));
    t.startSpan("POST /audit", { kind: SpanKind.CLIENT, startTime: at(30) }, ctx).end(at(80));
    root.end(at(100));
  }
  await Promise.all([checkout.forceFlush(), inventory.forceFlush()]);
  await Promise.all([checkout.shutdown(), inventory.shutdown()]);
}

interface Finding { kind: string; service: string; operation: string; score: number; summary: string; evidence: { criticalPathShare?: number } }

function suite(name: string, databaseUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>) {
  describe(`critical-path bottlenecks (${name})`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let collector: Proc & { port: number };
    let web: Proc & { port: number };
    beforeAll(async () => {
      db = await databaseUrl();
      collector = await startCollectorProcess({ DATABASE_URL: db.url, PINCHPOINT_TRACE_QUIET_SECONDS: "1" });
      web = await startWebProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collector.port) });
      await sendCheckouts(`http://127.0.0.1:${collector.port}`);
    });
    afterAll(async () => {
      await Promise.all([web?.stop(), collector?.stop()]);
      await db?.cleanup();
    });

    it("ranks the downstream the request waits on first, and never the slow call beside it", async () => {
      let findings: Finding[] = [];
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        findings = (await (await fetch(`http://127.0.0.1:${web.port}/api/bottlenecks?window=1h`)).json()).findings;
        const total = findings.filter((f) => f.kind === "critical_path_hotspot").reduce((s, f) => s + f.score, 0);
        if (total >= TRACES * 86 - 1e-3) break; // every trace analysed: 66 + 20 of each 100 ms are hotspots
        await new Promise((r) => setTimeout(r, 500));
      }
      const hotspots = findings.filter((f) => f.kind === "critical_path_hotspot");
      expect(hotspots[0]).toMatchObject({ service: "inventory", operation: "GET /stock" });
      expect(hotspots[0].score).toBeCloseTo(TRACES * 66, 3);
      expect(hotspots[0].evidence.criticalPathShare).toBeCloseTo(0.66, 6);
      expect(hotspots[0].summary).toMatch(/GET \/stock in inventory owns 66 % of the end-to-end latency of the requests it is part of/);
      // POST /checkout owns 10 % of its requests' time and the GET /stock client 4 %: not what makes them slow.
      expect(hotspots.map((f) => f.operation)).toEqual(["GET /stock", "SELECT cart"]);
      expect(hotspots[1].evidence.criticalPathShare).toBeCloseTo(0.2, 6);
      expect(findings.some((f) => f.operation === "POST /audit")).toBe(false);

      // The five SELECT cart calls are an N+1 costing 20 ms a request; the first of them and
      // GET /stock could run side by side, saving 4 ms.
      const nPlusOne = findings.find((f) => f.kind === "n_plus_one") as Finding & { evidence: { hits: number; callsPerHit: number; msPerHit: number } };
      expect(nPlusOne).toMatchObject({ service: "checkout", operation: "SELECT cart", evidence: { hits: TRACES, callsPerHit: 5 } });
      expect(nPlusOne.evidence.msPerHit).toBeCloseTo(20, 6);
      expect(nPlusOne.score).toBeCloseTo(TRACES * 20, 3);
      const sequential = findings.find((f) => f.kind === "sequential_calls") as Finding & { evidence: { msPerHit: number } };
      expect(sequential).toMatchObject({ service: "checkout", operation: "POST /checkout" });
      expect(sequential.evidence.msPerHit).toBeCloseTo(4, 6);
    });

    it("shows each operation's critical-path share and self time on the services API", async () => {
      const { services } = await (await fetch(`http://127.0.0.1:${web.port}/api/services?window=1h`)).json();
      const ops = Object.fromEntries(services.flatMap((s: { name: string; operations: { name: string; kind: string }[] }) =>
        s.operations.map((o) => [`${s.name} ${o.name} ${o.kind}`, o])));
      expect(ops["inventory GET /stock server"].criticalPathShare).toBeCloseTo(0.66, 6);
      expect(ops["checkout POST /audit client"].criticalPathShare).toBe(0);
      expect(ops["checkout POST /checkout server"].criticalPathShare).toBeCloseTo(0.1, 6);
      expect(ops["checkout POST /audit client"].selfMs).toBeCloseTo(TRACES * 50, 3);
      expect(ops["checkout POST /checkout server"].selfMs).toBeCloseTo(TRACES * 10, 3); // 20–25 and 95–100 uncovered
    });
  });
}

forEachStore(suite);
