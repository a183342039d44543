import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpanKind } from "@opentelemetry/api";
import { parse } from "yaml";
import type { SeriesSamples } from "../../collectors/prometheus/series";
import { tracerProvider } from "../testing/otel-client";
import { type Proc, createPostgresDatabase, startCollectorProcess, startWebProcess } from "../testing/processes";
import { remoteWrite } from "../testing/remote-write-client";

/**
 * Twenty minutes of a small system, sent the way it would arrive (spans through the OTel SDK,
 * metrics through remote_write), backdated so the minutes are already over:
 * - checkout on 3 replicas with a 1-core limit each: CPU climbs from 30 % to 92 % and its
 *   latency climbs with it. HPA arithmetic: ceil(3 × 0.92 / 0.70) = 4 replicas.
 * - orders and billing share one PostgreSQL whose connections climb to 95 of 100, and both get
 *   slower with it: more replicas of either would only add clients to the same database.
 */
const MINUTES = 20;
const MINUTE_MS = 60_000;
const START = (Math.floor(Date.now() / MINUTE_MS) - MINUTES - 1) * MINUTE_MS;
/** The load of minute m (0..19): rising, then flat at the top for the last 5 minutes. */
const load = (m: number, low: number, high: number) => (m >= MINUTES - 5 ? high : low + ((high - low) * m) / (MINUTES - 5));

function cpuSeries(): SeriesSamples[] {
  return ["10.0.0.1:9464", "10.0.0.2:9464", "10.0.0.3:9464"].flatMap((instance) => {
    const labels: [string, string][] = [["instance", instance], ["job", "checkout"]];
    const timestamps: number[] = [];
    const seconds: number[] = [];
    let used = 1000;
    for (let m = 0; m < MINUTES; m++) {
      for (let s = 0; s < 4; s++) {
        used += load(m, 0.3, 0.92) * 15;
        timestamps.push(START + m * MINUTE_MS + s * 15_000 + 7_000);
        seconds.push(used);
      }
    }
    return [
      { name: "process_cpu_seconds_total", labels, timestamps, values: seconds },
      { name: "process_cpu_limit_cores", labels, timestamps, values: timestamps.map(() => 1) },
    ];
  });
}

function poolSeries(): SeriesSamples[] {
  const labels: [string, string][] = [["instance", "db:9187"], ["job", "postgres"]];
  const timestamps = Array.from({ length: MINUTES * 4 }, (_, i) => START + i * 15_000 + 7_000);
  return [
    { name: "pg_stat_activity_count", labels: [["datname", "shop"], ...labels, ["state", "active"]], timestamps, values: timestamps.map((_, i) => Math.round(load(Math.floor(i / 4), 20, 95))) },
    { name: "pg_settings_max_connections", labels, timestamps, values: timestamps.map(() => 100) },
  ];
}

/** 30 requests a minute per service, slower as its resource fills: 20 ms calm, up to ~220 ms saturated. */
async function sendTraffic(endpoint: string): Promise<void> {
  const services = { checkout: (m: number) => load(m, 0.3, 0.92), orders: (m: number) => load(m, 0.2, 0.95), billing: (m: number) => load(m, 0.2, 0.95) };
  for (const [service, utilization] of Object.entries(services)) {
    const provider = tracerProvider({ endpoint, protocol: "proto", gzip: false, service });
    const tracer = provider.getTracer("scaling-test");
    for (let m = 0; m < MINUTES; m++) {
      const ms = 20 + 200 * utilization(m) ** 4;
      for (let i = 0; i < 30; i++) {
        const start = START + m * MINUTE_MS + i * 2000;
        tracer.startSpan(`GET /${service}`, { kind: SpanKind.SERVER, startTime: start }).end(start + ms * (0.9 + 0.2 * (i / 30)));
      }
    }
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
      const write = await remoteWrite(`http://127.0.0.1:${collector.port}/api/v1/write`, [...cpuSeries(), ...poolSeries()]);
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
        if (resources.filter((r: { utilization?: unknown[] }) => (r.utilization?.length ?? 0) >= MINUTES - 1).length >= 2) break; // a counter has no rate in its first minute
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

suite("SQLite", async () => ({ url: `file:${join(mkdtempSync(join(tmpdir(), "pp-scale-")), "s.db")}`, cleanup: async () => {} }));

const pgServer = process.env.TEST_DATABASE_URL;
if (pgServer) {
  suite("PostgreSQL", async () => {
    const created = await createPostgresDatabase(pgServer);
    return { url: created.url, cleanup: created.drop };
  });
}
