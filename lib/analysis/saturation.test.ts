import { describe, expect, it } from "vitest";
import type { Point } from "./correlation";
import type { ResourceKind, ResourceMeasurement } from "./resource-types";
import { type ServiceMinutes, saturationFindings } from "./saturation";

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const window = { from: T0, to: T0 + 60 * MIN, searchWindow: "1h" };
const series = (vs: number[]): Point[] => vs.map((v, i) => ({ t: T0 + i * MIN, v }));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function resource(o: { id: string; name: string; kind: ResourceKind; services: string[]; instances?: number; util?: number[]; perInstance?: number;
  current?: number; p95?: number; peak?: number; usage?: number[]; queue?: ResourceMeasurement["queue"] }): ResourceMeasurement {
  const instances = o.instances ?? 1;
  const capacity = o.perInstance !== undefined ? o.perInstance * instances : undefined;
  return {
    plan: { id: o.id, name: o.name, kind: o.kind, services: o.services, source: "discovered", metric: "some_metric",
      instances: range(instances).map((i) => ({ instance: `i${i}`, usage: { keys: [i], read: "gauge" as const } })) },
    instances,
    ...(o.util ? { utilization: series(o.util) } : {}),
    usage: series(o.usage ?? (o.util ?? []).map((u) => u * (capacity ?? 1))),
    ...(capacity !== undefined && o.util ? { capacity: series(o.util.map(() => capacity)) } : {}),
    current: o.current, p95: o.p95, peak: o.peak, usagePerInstance: [],
    ...(o.queue ? { queue: o.queue } : {}),
  };
}

/** 30 calm minutes (45–55 %), then 30 hot ones (88–96 %); latency climbs with utilization. */
const cpuUtil = range(60).map((i) => (i < 30 ? 0.45 + (0.1 * ((i * 7) % 5)) / 4 : 0.88 + 0.02 * ((i * 3) % 5)));
const latencyFor = (u: number) => 40 + 800 * Math.max(0, u - 0.6) ** 2;
const minutes = (latency: number[], errorRate?: number[], requests = 18_000): ServiceMinutes => ({
  latencyMs: series(latency), errorRate: series(errorRate ?? latency.map(() => 0)), requests: series(latency.map(() => requests)),
});
const CHECKOUT = { id: "cpu:checkout", name: "CPU of checkout", kind: "cpu" as const, services: ["checkout"] };
const checkoutCpu = resource({ ...CHECKOUT, instances: 3, perInstance: 1,
  util: cpuUtil, current: 0.92, p95: 0.95, peak: 0.96 });

describe("saturationFindings", () => {
  it("reports a hot CPU whose service's latency moves with it, in words and numbers", () => {
    const [f, ...rest] = saturationFindings({ resources: [checkoutCpu], services: new Map([["checkout", minutes(cpuUtil.map(latencyFor))]]), window });
    expect(rest).toEqual([]);
    expect(f.id).toBe("saturation:cpu:checkout:checkout");
    expect(f).toMatchObject({ kind: "saturation", service: "checkout", resource: "CPU of checkout" });
    expect(f.summary).toMatch(/^CPU of checkout is at 92 % \(p95 95 %, capacity 1 core × 3 replicas\) and checkout's latency moves with it \(r = 0\.\d\d over 60 minutes\)$/);
    expect(f.evidence).toMatchObject({ resourceId: "cpu:checkout", kind: "cpu", utilization: 0.92, p95: 0.95, peak: 0.96, instances: 3, threshold: 0.8,
      metric: "some_metric", shared: false, traceSearch: "/traces?service=checkout&window=1h" });
    expect(f.evidence.correlation.with).toBe("latency");
    expect(f.evidence.correlation.r).toBeGreaterThan(0.9);
    expect(f.evidence.correlation.n).toBe(60);
    expect(f.evidence.chart.utilization).toHaveLength(60);
    expect(f.evidence.chart.latencyMs[59].v).toBeCloseTo(latencyFor(cpuUtil[59]));
    expect(f.evidence.test).toMatch(/at or above 80 % in 30 of 60 minutes/);
    expect(f.score).toBeGreaterThan(0);
  });

  it("scores the latency above the calm minutes' median, times requests, over the hot minutes only", () => {
    const util = [0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9];
    const latency = [90, 100, 110, 100, 100, 300, 300, 250, 350, 300];
    const r = resource({ id: "cpu:a", name: "CPU of a", kind: "cpu", services: ["a"], perInstance: 1, util, current: 0.9, p95: 0.9 });
    const [f] = saturationFindings({ resources: [r], services: new Map([["a", minutes(latency, undefined, 60)]]), window });
    // Calm median 100 ms; hot minutes exceed it by 200 + 200 + 150 + 250 + 200 = 1,000 ms × 60 requests.
    expect(f.score).toBeCloseTo(60_000);
  });

  it("falls back to the lowest-quartile latency as the baseline when the service was hardly ever calm", () => {
    const util = [0.9, 0.85, 0.95, 0.9, 0.82, 0.97];
    const latency = [200, 150, 300, 200, 100, 400];
    const r = resource({ id: "cpu:a", name: "CPU of a", kind: "cpu", services: ["a"], perInstance: 1, util, current: 0.9, p95: 0.96 });
    const [f] = saturationFindings({ resources: [r], services: new Map([["a", minutes(latency, undefined, 10)]]), window });
    // Lowest quartile of [100, 150, 200, 200, 300, 400] is 162.5 ms.
    expect(f.score).toBeCloseTo((37.5 + 0 + 137.5 + 37.5 + 0 + 237.5) * 10);
  });

  it("adds the extra failures in hot minutes at a second each", () => {
    const util = [0.5, 0.5, 0.5, 0.9, 0.9, 0.9];
    const latency = [100, 100, 100, 100, 100, 100];
    const errors = [0, 0, 0, 0.1, 0.2, 0.1];
    const r = resource({ id: "cpu:a", name: "CPU of a", kind: "cpu", services: ["a"], perInstance: 1, util, current: 0.9 });
    const [f] = saturationFindings({ resources: [r], services: new Map([["a", minutes(latency, errors, 100)]]), window });
    expect(f.evidence.correlation.with).toBe("error rate");
    expect(f.summary).toMatch(/a's error rate moves with it/);
    expect(f.score).toBeCloseTo((10 + 20 + 10) * 1000);
  });

  it("does not report high utilization that latency does not follow", () => {
    const util = range(40).map((i) => (i % 2 ? 0.95 : 0.85));
    const latency = range(40).map((i) => ((i >> 1) % 2 ? 120 : 100));
    const r = resource({ id: "cpu:a", name: "CPU of a", kind: "cpu", services: ["a"], perInstance: 1, util, current: 0.9, p95: 0.95 });
    expect(saturationFindings({ resources: [r], services: new Map([["a", minutes(latency)]]), window })).toEqual([]);
  });

  it("ignores latency that falls as utilization rises", () => {
    const r = resource({ ...CHECKOUT, instances: 3, perInstance: 1, util: cpuUtil, current: 0.92, p95: 0.95 });
    const latency = cpuUtil.map((u) => 500 - latencyFor(u));
    expect(saturationFindings({ resources: [r], services: new Map([["checkout", minutes(latency)]]), window })).toEqual([]);
  });

  it("needs five paired minutes", () => {
    const util = [0.5, 0.6, 0.9, 0.95];
    const r = resource({ id: "cpu:a", name: "CPU of a", kind: "cpu", services: ["a"], perInstance: 1, util, current: 0.95 });
    expect(saturationFindings({ resources: [r], services: new Map([["a", minutes(util.map((u) => u * 100))]]), window })).toEqual([]);
  });

  it("leaves a resource below the threshold alone however well it correlates, and honours a lower threshold", () => {
    const util = range(20).map((i) => 0.3 + i * 0.02);
    const r = resource({ id: "cpu:a", name: "CPU of a", kind: "cpu", services: ["a"], perInstance: 1, util, current: 0.67, p95: 0.68 });
    const services = new Map([["a", minutes(util.map((u) => u * 100))]]);
    expect(saturationFindings({ resources: [r], services, window })).toEqual([]);
    expect(saturationFindings({ resources: [r], services, window, threshold: 0.6 })).toHaveLength(1);
  });

  it("qualifies on the window's p95 when the last minutes were calmer", () => {
    const r = resource({ ...CHECKOUT, instances: 3, perInstance: 1, util: cpuUtil, current: 0.5, p95: 0.95 });
    expect(saturationFindings({ resources: [r], services: new Map([["checkout", minutes(cpuUtil.map(latencyFor))]]), window })).toHaveLength(1);
  });

  it("honours minCorrelation", () => {
    const services = new Map([["checkout", minutes(cpuUtil.map(latencyFor))]]);
    expect(saturationFindings({ resources: [checkoutCpu], services, window, minCorrelation: 0.999 })).toEqual([]);
  });

  it("gives one finding per client of a shared pool that correlates, marked shared, ranked by score", () => {
    const pool = resource({ id: "pool:orders-db", name: "orders-db connections", kind: "pool", services: ["checkout", "billing", "search"],
      perInstance: 100, util: cpuUtil, current: 0.92, p95: 0.95 });
    const services = new Map([
      ["checkout", minutes(cpuUtil.map(latencyFor), undefined, 6000)],
      ["billing", minutes(cpuUtil.map((u) => 2 * latencyFor(u)), undefined, 6000)],
      ["search", minutes(cpuUtil.map(() => 30))],
    ]);
    const fs = saturationFindings({ resources: [pool], services, window });
    expect(fs.map((f) => f.id)).toEqual(["saturation:pool:orders-db:billing", "saturation:pool:orders-db:checkout"]);
    expect(fs.every((f) => f.evidence.shared)).toBe(true);
    expect(fs[0].score).toBeGreaterThan(fs[1].score);
    expect(fs[0].summary).toMatch(/^orders-db connections is at 92 % \(p95 95 %, capacity 100\) and billing's latency/);
  });

  it("skips services it has no minutes for", () => {
    expect(saturationFindings({ resources: [checkoutCpu], services: new Map(), window })).toEqual([]);
  });

  it("reports a growing queue whose depth the consumer's latency follows", () => {
    const depth = range(60).map((i) => 20 * i);
    const queue = { depth: 1180, growthPerS: 20 / 60, arrivalPerS: 50, completionPerS: 40, workers: 4 };
    const r = resource({ id: "queue:orders", name: "orders queue", kind: "queue", services: ["fulfilment"], usage: depth, queue });
    const [f] = saturationFindings({ resources: [r], services: new Map([["fulfilment", minutes(depth.map((d) => 50 + d / 10), undefined, 100)]]), window });
    expect(f.summary).toBe("orders queue holds 1,180 items and grows by 0.3 a second and fulfilment's latency moves with it (r = 1.00 over 60 minutes)");
    expect(f.evidence.queue).toEqual(queue);
    expect(f.evidence.chart.utilization).toEqual(r.usage);
    expect(f.evidence.test).toMatch(/queue depth/);
    expect(f.score).toBeGreaterThan(0);
  });

  it("ignores a queue that grows by fewer than 10 items, or by under a tenth of its depth, over the window", () => {
    const depth = range(60).map((i) => 1000 + (i % 3));
    const services = new Map([["w", minutes(depth.map((d) => d))]]);
    const slow = resource({ id: "queue:q", name: "q", kind: "queue", services: ["w"], usage: depth, queue: { depth: 1001, growthPerS: 5 / 3600 } });
    const small = resource({ id: "queue:q", name: "q", kind: "queue", services: ["w"], usage: depth, queue: { depth: 10_000, growthPerS: 500 / 3600 } });
    expect(saturationFindings({ resources: [slow, small], services, window })).toEqual([]);
  });
});
