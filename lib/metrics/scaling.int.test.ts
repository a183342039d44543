import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpanKind } from "@opentelemetry/api";
import { parse } from "yaml";
import { tracerProvider } from "../testing/otel-client";
import { type Proc, forEachStore, startCollectorProcess, startWebProcess } from "../testing/processes";
import { remoteWrite } from "../testing/remote-write-client";
import { SCENARIO_MINUTES, cpuLoad, cpuSeries, poolLoad, poolSeries, scenarioRequests, scenarioStart } from "../testing/scaling-scenario";

/** lib/testing/scaling-scenario.ts, sent the way it would arrive: spans through the OTel SDK, metrics through remote_write. */
const START = scenarioStart();

async function sendTraffic(endpoint: string): Promise<void> {
  for (const [service, load] of [["checkout", cpuLoad], ["orders", poolLoad], ["billing", poolLoad]] as const) {
    const provider = tracerProvider({ endpoint, protocol: "proto", gzip: false, service });
    const tracer = provider.getTracer("scaling-test");
    for (const r of scenarioRequests(load, START)) tracer.startSpan(`GET /${service}`, { kind: SpanKind.SERVER, startTime: r.startMs }).end(r.endMs);
    await provider.forceFlush();
    await provider.shutdown();
  }
}

interface Recommendation { kind: string; service: string; resource?: string; current: unknown; suggested: unknown; rationale: string;
  manifest?: { kind: string; yaml: string }; predicted?: { replicas: number; p95Ms: number | null }[]; evidence: { links: { href: string }[] } }

function suite(name: string, databaseUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>) {
  describe(`saturation and scaling advice (${name})`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let collector: Proc & { port: number };
    let web: Proc & { port: number };
    const api = async (path: string, init?: RequestInit) => (await fetch(`http://127.0.0.1:${web.port}${path}`, init)).json();

    beforeAll(async () => {
      db = await databaseUrl();
      collector = await startCollectorProcess({ DATABASE_URL: db.url });
      web = await startWebProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collector.port) });
      const write = await remoteWrite(`http://127.0.0.1:${collector.port}/api/v1/write`,
        [...cpuSeries("checkout", ["10.0.0.1:9464", "10.0.0.2:9464", "10.0.0.3:9464"], START), ...poolSeries("postgres", "db:9187", START)]);
      expect(write.status).toBe(204);
      await sendTraffic(`http://127.0.0.1:${collector.port}`);
      // The shared database, as its users declare it: two services, one pool.
      const mapping = await api("/api/resource-mappings", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({
        name: "shop database connections", kind: "pool", services: ["orders", "billing"], usageMetric: "pg_stat_activity_count", capacityMetric: "pg_settings_max_connections",
      }) });
      expect(mapping.mapping).toBeDefined();
      // The metric minutes are rolled up every 10 s once over.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { resources } = await api("/api/resources?window=1h");
        if (resources.filter((r: { utilization?: unknown[] }) => (r.utilization?.length ?? 0) >= SCENARIO_MINUTES - 1).length >= 2) break; // a counter has no rate in its first minute
        if (Date.now() > deadline) throw new Error(`resources never filled in: ${JSON.stringify(resources).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
    afterAll(async () => {
      await Promise.all([web?.stop(), collector?.stop()]);
      await db?.cleanup();
    });

    it("finds the saturated CPU and the saturated shared pool, each moving with its services' latency", async () => {
      const { findings } = await api("/api/bottlenecks?window=1h");
      const saturation = findings.filter((f: { kind: string }) => f.kind === "saturation");
      const cpu = saturation.find((f: { service: string }) => f.service === "checkout");
      expect(cpu.evidence).toMatchObject({ kind: "cpu", instances: 3, shared: false, correlation: { with: "latency" } });
      expect(cpu.evidence.utilization).toBeCloseTo(0.92, 2);
      expect(cpu.evidence.correlation.r).toBeGreaterThan(0.9);
      expect(cpu.summary).toMatch(/92 %/);
      for (const service of ["orders", "billing"]) {
        const pool = saturation.find((f: { service: string }) => f.service === service);
        expect(pool.evidence).toMatchObject({ kind: "pool", shared: true });
        expect(pool.evidence.utilization).toBeCloseTo(0.95, 2);
      }
    });

    it("scales checkout out to the HPA's replica count, and says not to scale the pool's users but to limit them", async () => {
      const { recommendations } = await api("/api/recommendations?window=1h") as { recommendations: Recommendation[] };
      const out = recommendations.find((r) => r.kind === "scale_out" && r.service === "checkout")!;
      expect(out).toMatchObject({ current: 3, suggested: 4 });
      expect(out.rationale).toMatch(/ceil\(3 × 0\.92 \/ 0\.70\) = 4/);
      const hpa = parse(out.manifest!.yaml);
      expect(hpa).toMatchObject({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", spec: { scaleTargetRef: { name: "checkout" }, maxReplicas: 10 } });
      // The what-if: p95 falls as replicas are added.
      const p95 = out.predicted!.map((p) => p.p95Ms!);
      expect(out.predicted![0].replicas).toBe(3);
      for (let i = 1; i < p95.length; i++) expect(p95[i]).toBeLessThan(p95[i - 1]);

      for (const service of ["orders", "billing"]) {
        const hold = recommendations.find((r) => r.kind === "do_not_scale" && r.service === service)!;
        expect(hold.rationale).toMatch(/shop database connections/);
        expect(recommendations.some((r) => r.kind === "scale_out" && r.service === service)).toBe(false);
      }
      const limit = recommendations.filter((r) => r.kind === "rate_limit");
      expect(limit).toHaveLength(1);
      expect(limit[0].resource).toBe("shop database connections");
      expect(String(limit[0].suggested)).toMatch(/concurrent/);
      expect(limit[0].evidence.links.some((l) => l.href.includes("/bottlenecks"))).toBe(true);
    });
  });
}

forEachStore(suite);
