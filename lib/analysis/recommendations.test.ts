import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Point } from "./correlation";
import { type Recommendation, type RecommendFinding, type ScalingPolicy, type ServiceLoad, depthQuery, recommend } from "./recommendations";
import type { ResourceKind, ResourceMeasurement } from "./resource-types";
import { type ServiceMinutes, saturationFindings } from "./saturation";

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const MIB = 1024 * 1024;
const window = { from: T0, to: T0 + 60 * MIN, searchWindow: "1h" };
const series = (vs: number[]): Point[] => vs.map((v, i) => ({ t: T0 + i * MIN, v }));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const POLICY: ScalingPolicy = { targetUtilization: 0.7, minReplicas: 1, maxReplicas: 10 };

function resource(o: { id: string; name: string; kind: ResourceKind; services: string[]; instances?: number; util?: number[]; perInstance?: number;
  current?: number; p95?: number; peak?: number; usage?: number[]; usagePerInstance?: number[]; metric?: string;
  queue?: ResourceMeasurement["queue"] }): ResourceMeasurement {
  const instances = o.instances ?? 1;
  const capacity = o.perInstance !== undefined ? o.perInstance * instances : undefined;
  const util = o.util ?? (o.current !== undefined ? range(60).map(() => o.current!) : undefined);
  return {
    plan: { id: o.id, name: o.name, kind: o.kind, services: o.services, source: "discovered", metric: o.metric ?? "some_metric",
      instances: range(instances).map((i) => ({ instance: `i${i}`, usage: { keys: [i], read: "gauge" as const } })) },
    instances,
    ...(util ? { utilization: series(util) } : {}),
    usage: series(o.usage ?? (util ?? []).map((u) => u * (capacity ?? 1))),
    ...(capacity !== undefined ? { capacity: series(range(60).map(() => capacity)) } : {}),
    current: o.current, p95: o.p95, peak: o.peak, usagePerInstance: o.usagePerInstance ?? [],
    ...(o.queue ? { queue: o.queue } : {}),
  };
}

const load = (requestRatePerS: number, meanLatencyMs: number | null = 50, extra: Partial<ServiceLoad> = {}): ServiceLoad =>
  ({ requestRatePerS, meanLatencyMs, p95LatencyMs: meanLatencyMs && meanLatencyMs * 3, errorRate: 0.001, ...extra });

function run(resources: ResourceMeasurement[], services: Record<string, ServiceLoad>, findings: RecommendFinding[] = [],
  policy: Partial<ScalingPolicy> = {}): Recommendation[] {
  return recommend({ resources, services: new Map(Object.entries(services)), findings, policy: () => ({ ...POLICY, ...policy }), window });
}

const byKind = (recs: Recommendation[], kind: Recommendation["kind"]) => recs.filter((r) => r.kind === kind);

/** Checkout's CPU: calm for half an hour, then at 88–96 % with latency climbing along. */
const cpuUtil = range(60).map((i) => (i < 30 ? 0.45 + (0.1 * ((i * 7) % 5)) / 4 : 0.88 + 0.02 * ((i * 3) % 5)));
const checkoutCpu = (o: Partial<Parameters<typeof resource>[0]> = {}) => resource({ id: "cpu:checkout", name: "CPU of checkout", kind: "cpu",
  services: ["checkout"], instances: 3, perInstance: 1, util: cpuUtil, current: 0.92, p95: 0.95, peak: 0.96, ...o });
const checkoutMinutes: ServiceMinutes = {
  latencyMs: series(cpuUtil.map((u) => 40 + 800 * Math.max(0, u - 0.6) ** 2)), errorRate: series(cpuUtil.map(() => 0)),
  requests: series(cpuUtil.map(() => 18_000)),
};

function finding(kind: string, service: string, operation: string, score: number, evidence: Record<string, unknown> = {}): RecommendFinding {
  return { id: `${kind}:${service}:${operation}:2`, kind, service, operation, score, summary: `${kind} in ${service}`,
    evidence: { traceSearch: `/traces?service=${service}&operation=${encodeURIComponent(operation)}&window=1h`, ...evidence } };
}

describe("scale_out / scale_in", () => {
  const cpu = checkoutCpu();
  const sat = saturationFindings({ resources: [cpu], services: new Map([["checkout", checkoutMinutes]]), window });
  const recs = run([cpu], { checkout: load(300) }, sat);
  const [out] = byKind(recs, "scale_out");

  it("finds the saturation that the scale-out rests on", () => {
    expect(sat).toHaveLength(1);
    expect(sat[0].score).toBeGreaterThan(0);
  });

  it("scales a CPU at 92 % over 3 replicas out to ceil(3 × 0.92 / 0.7) = 4, quoting the formula", () => {
    expect(out).toMatchObject({ id: "scale_out:cpu:checkout", service: "checkout", resource: "CPU of checkout", current: 3, suggested: 4 });
    expect(out.rationale).toContain("ceil(3 × 0.92 / 0.70) = 4");
    expect(out.rationale).toMatch(/add 1 to bring it to about 69 %/);
    expect(out.evidence.figures).toMatchObject({ currentReplicas: 3, desiredReplicas: 4, utilization: 0.92, targetUtilization: 0.7 });
  });

  it("ranks it by the user time the saturation finding measured and links that finding and its traces", () => {
    expect(out.priority).toBe(sat[0].score);
    expect(out.evidence.findings).toEqual([sat[0].id]);
    const hrefs = out.evidence.links.map((l) => l.href);
    expect(hrefs).toContain(`/bottlenecks?window=1h#${encodeURIComponent(sat[0].id)}`);
    expect(hrefs).toContain("/traces?service=checkout&window=1h");
    expect(hrefs).toContain("/services/checkout");
  });

  it("writes a valid HPA with the policy's bounds and target", () => {
    expect(out.manifest?.kind).toBe("HorizontalPodAutoscaler");
    const hpa = parse(out.manifest!.yaml);
    expect(hpa).toMatchObject({
      apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "checkout" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "checkout" }, minReplicas: 1, maxReplicas: 10 },
    });
    expect(hpa.spec.metrics[0].resource).toEqual({ name: "cpu", target: { type: "Utilization", averageUtilization: 70 } });
  });

  it("fits the model to the measured utilization and latency, also when the CPU is busier than its requests explain", () => {
    // 0.2 req/s cannot keep 3 cores 92 % busy: the CPU does other work, which the model spreads over the replicas too.
    const [slow] = byKind(run([cpu], { checkout: load(0.2, 200) }, sat), "scale_out");
    const [now, next] = slow.predicted!;
    expect(now.utilization).toBeCloseTo(0.92);
    expect(slow.evidence.figures.serviceTimeMs).toBeLessThan(200); // 200 ms measured = service time + queueing at 92 %
    expect(now.p95Ms!).toBeGreaterThan(200);
    expect(next.p95Ms!).toBeLessThan(now.p95Ms! / 2); // at 69 % the queueing mostly goes away
  });

  it("predicts p95 falling as replicas rise, from the current count to desired + 2", () => {
    const p = out.predicted!;
    expect(p.map((x) => x.replicas)).toEqual([3, 4, 5, 6]);
    expect(p[0].utilization).toBeCloseTo(0.92);
    for (let i = 1; i < p.length; i++) expect(p[i].p95Ms!).toBeLessThan(p[i - 1].p95Ms!);
    expect(out.rationale).toMatch(/predicts a p95 of .+ at 4 replicas, against .+ at 3 now/);
  });

  it("bounds the chart by maxReplicas and says when the policy capped the answer", () => {
    const [capped] = byKind(run([checkoutCpu({ current: 0.95, instances: 3 })], { checkout: load(300) }, [], { maxReplicas: 4 }), "scale_out");
    expect(capped.suggested).toBe(4);
    expect(capped.rationale).toContain("ceil(3 × 0.95 / 0.70) = 5, capped at the policy's maximum of 4");
    expect(capped.predicted!.map((x) => x.replicas)).toEqual([3, 4]);
  });

  it("leaves the replica count alone within the HPA's tolerance (0.75 against 0.7)", () => {
    const recs75 = run([checkoutCpu({ current: 0.75, p95: 0.78, peak: 0.8 })], { checkout: load(300) });
    expect(recs75.filter((r) => r.kind === "scale_out" || r.kind === "scale_in")).toEqual([]);
  });

  it("scales a calm service in, clamped to the policy's minimum, ranked last", () => {
    const recs = run([checkoutCpu({ current: 0.2, p95: 0.25, peak: 0.3 })], { checkout: load(60) }, [], { minReplicas: 2 });
    const [inRec] = byKind(recs, "scale_in");
    expect(inRec).toMatchObject({ current: 3, suggested: 2, priority: 0 });
    expect(inRec.rationale).toContain("ceil(3 × 0.20 / 0.70) = 1, raised to the policy's minimum of 2");
    expect(parse(inRec.manifest!.yaml).spec.minReplicas).toBe(2);
  });

  it("does not scale in when the window's p95 was above target", () => {
    expect(byKind(run([checkoutCpu({ current: 0.2, p95: 0.9 })], { checkout: load(60) }), "scale_in")).toEqual([]);
  });

  it("without a saturation finding, ranks a scale-out by the mean latency the model says it saves", () => {
    const [o] = byKind(run([checkoutCpu()], { checkout: load(300) }), "scale_out");
    expect(o.priority).toBeGreaterThan(0);
    expect(o.evidence.findings).toEqual([]);
  });
});

describe("do_not_scale and rate_limit on a shared resource", () => {
  const pool = resource({ id: "pool:orders-db", name: "orders-db connections", kind: "pool", services: ["checkout", "billing"], perInstance: 100,
    current: 0.95, p95: 0.97 });
  const services = { checkout: load(600, 50), billing: load(200, 90) };
  const satChk = { ...finding("saturation", "checkout", "", 5000), id: "saturation:pool:orders-db:checkout", operation: undefined,
    evidence: { resourceId: "pool:orders-db", shared: true } };
  const recs = run([pool, checkoutCpu()], services, [satChk]);

  it("tells both clients not to scale, pointing at the pool", () => {
    const held = byKind(recs, "do_not_scale");
    expect(held.map((r) => r.service).sort()).toEqual(["billing", "checkout"]);
    for (const r of held) {
      expect(r.resource).toBe("orders-db connections");
      expect(r.rationale).toMatch(/add more clients to the same bottleneck and would make it worse/);
    }
    const chk = held.find((r) => r.service === "checkout")!;
    expect(chk).toMatchObject({ current: 3, suggested: 3, priority: 5000 });
    expect(chk.evidence.findings).toEqual([satChk.id]);
  });

  it("does not also scale the client out, though its own CPU is hot", () => {
    expect(byKind(recs, "scale_out")).toEqual([]);
  });

  it("puts one Little's-law concurrency limit in front of the pool, split by request rate", () => {
    const [rl, ...more] = byKind(recs, "rate_limit");
    expect(more).toEqual([]);
    // 800 req/s at a rate-weighted mean of 60 ms: 48 in flight; 90 % of it is 43.2 → 43, 720 req/s.
    expect(rl).toMatchObject({ resource: "orders-db connections", current: "unlimited", suggested: "≤ 43 concurrent (≈ 720 req/s)", service: "checkout" });
    expect(rl.evidence.figures).toMatchObject({ throughputPerS: 800, maxConcurrency: 43, "limit:checkout": 32, "limit:billing": 10 });
    expect(rl.evidence.figures.latencyMs).toBeCloseTo(60);
    expect(rl.rationale).toContain("48.0 requests are in flight");
    expect(rl.rationale).toContain("checkout ≤ 32, billing ≤ 10");
    expect(rl.priority).toBe(5000);
  });

  it("holds a service a saturation finding ties to a shared resource it is not mapped to", () => {
    const proxy = resource({ id: "pool:pgbouncer", name: "pgbouncer pool", kind: "pool", services: ["reports"], perInstance: 50, current: 0.9 });
    const tie = { ...finding("saturation", "api", "", 700), id: "saturation:pool:pgbouncer:api", operation: undefined,
      evidence: { resourceId: "pool:pgbouncer", shared: true } };
    const [r] = byKind(run([proxy], { api: load(50) }, [tie]), "do_not_scale");
    expect(r).toMatchObject({ service: "api", resource: "pgbouncer pool", current: "as is", priority: 700 });
    expect(r.rationale).toContain("shared with reports");
  });

  it("does not hold the consumers of a shared queue: more consumers drain it", () => {
    const q = resource({ id: "queue:jobs", name: "jobs queue", kind: "queue", services: ["a", "b"], usage: [100],
      queue: { depth: 100, growthPerS: 1, arrivalPerS: 10, completionPerS: 5, workers: 1 } });
    const tie = { ...finding("saturation", "a", "", 700), operation: undefined, evidence: { resourceId: "queue:jobs", shared: true } };
    const recs = run([q], { a: load(5), b: load(5) }, [tie]);
    expect(byKind(recs, "do_not_scale")).toEqual([]);
    expect(byKind(recs, "rate_limit")).toEqual([]);
    expect(byKind(recs, "add_workers")).toHaveLength(1);
  });

  it("gives no rate limit for a shared resource that is not saturated", () => {
    const calm = resource({ id: "pool:db", name: "db", kind: "pool", services: ["a", "b"], perInstance: 100, current: 0.4, p95: 0.5 });
    const r = run([calm], { a: load(10), b: load(10) });
    expect(byKind(r, "rate_limit")).toEqual([]);
    expect(byKind(r, "do_not_scale")).toEqual([]);
  });
});

describe("do_not_scale: errors and code", () => {
  const calmCpu = checkoutCpu({ current: 0.4, p95: 0.5, util: undefined });
  const spike = finding("error_spike", "checkout", "POST /orders", 12_000);

  it("says errors without saturation point at a change, not capacity", () => {
    const [r] = byKind(run([calmCpu], { checkout: load(100) }, [spike]), "do_not_scale");
    expect(r.service).toBe("checkout");
    expect(r.rationale).toContain("point at a change (a deploy, a config change, a failing dependency), not capacity");
    expect(r.priority).toBe(12_000);
    expect(r.evidence.links.map((l) => l.href)).toEqual([`/bottlenecks?window=1h#${encodeURIComponent(spike.id)}`, spike.evidence!.traceSearch,
      "/services/checkout"]);
  });

  it("reads a rise in the error rate without a finding too, and prices the extra failures", () => {
    const [r] = byKind(run([calmCpu], { checkout: load(100, 50, { errorRate: 0.05, errorRateBefore: 0.01 }) }), "do_not_scale");
    expect(r.rationale).toContain("rose from 1.0 % to 5.0 %");
    // 4 points of 100 req/s over an hour, a second each.
    expect(r.priority).toBeCloseTo(0.04 * 100 * 3600 * 1000);
  });

  it("says nothing against scaling when the service's own CPU is saturated", () => {
    const recs = run([checkoutCpu()], { checkout: load(300) }, [spike]);
    expect(byKind(recs, "do_not_scale")).toEqual([]);
    expect(byKind(recs, "scale_out")).toHaveLength(1);
  });

  it("holds a service whose top latency cause is an N+1, and proposes batching it", () => {
    const n1 = finding("n_plus_one", "checkout", "SELECT items", 90_000, { msPerHit: 45, hits: 2000, callsPerHit: 12 });
    const recs = run([calmCpu], { checkout: load(100) }, [n1, finding("slow_operation", "checkout", "POST /orders", 10_000)]);
    const [held] = byKind(recs, "do_not_scale");
    expect(held.rationale).toMatch(/will not make one request faster/);
    expect(held.priority).toBe(90_000);
    const [fix] = byKind(recs, "fix_n_plus_one");
    expect(fix).toMatchObject({ service: "checkout", current: "12.0 calls per parent", suggested: "1 batched call", priority: 90_000 });
    expect(fix.evidence.figures).toMatchObject({ savingMs: 90_000, msPerHit: 45, hits: 2000 });
    expect(fix.rationale).toMatch(/SELECT items in checkout .* 45 ms each time, 1\.5 min of user time in all\. Batch/);
  });

  it("does not hold a service whose N+1 is not its top cost", () => {
    const recs = run([calmCpu], { checkout: load(100) }, [finding("n_plus_one", "checkout", "SELECT items", 1000, { msPerHit: 5 }),
      finding("latency_regression", "checkout", "POST /orders", 50_000)]);
    expect(byKind(recs, "do_not_scale")).toEqual([]);
    expect(byKind(recs, "fix_n_plus_one")).toHaveLength(1);
  });

  it("proposes running sequential calls concurrently", () => {
    const seq = finding("sequential_calls", "gateway", "GET /home", 30_000, { msPerHit: 120, hits: 250 });
    const [p] = byKind(run([], { gateway: load(10) }, [seq]), "parallelize_calls");
    expect(p).toMatchObject({ id: `parallelize_calls:${seq.id}`, service: "gateway", current: "one after another", suggested: "concurrently", priority: 30_000 });
    expect(p.rationale).toMatch(/GET \/home in gateway .*concurrently to save 120 ms each time, 30\.0 s of user time/);
  });
});

describe("add_workers", () => {
  const plan = { id: 'queue:rabbitmq_queue_messages_ready{queue="orders"}', name: "orders queue", kind: "queue" as const, services: ["fulfilment"],
    metric: "rabbitmq_queue_messages_ready" };
  const queue = resource({ ...plan, usage: range(60).map((i) => 20 * i),
    queue: { depth: 1200, growthPerS: 2, arrivalPerS: 50, completionPerS: 40, workers: 4 } });

  it("sizes the workers for a growing queue and writes a KEDA ScaledObject on its depth", () => {
    const [w] = byKind(run([queue], {}), "add_workers");
    // ceil((50 × 1.2 + 1200 / 600) / 10) = ceil(6.2) = 7.
    expect(w).toMatchObject({ service: "fulfilment", resource: "orders queue", current: 4, suggested: 7 });
    expect(w.rationale).toContain("at this rate the backlog never drains");
    expect(w.rationale).toContain("= ceil((50.0 × 1.2 + 1,200 / 600) / 10.00) = 7");
    expect(w.manifest?.kind).toBe("ScaledObject");
    const so = parse(w.manifest!.yaml);
    expect(so).toMatchObject({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", metadata: { name: "fulfilment" },
      spec: { scaleTargetRef: { name: "fulfilment" }, minReplicaCount: 1, maxReplicaCount: 10 } });
    expect(so.spec.triggers[0]).toMatchObject({ type: "prometheus",
      metadata: { query: 'sum(rabbitmq_queue_messages_ready{queue="orders"})', threshold: "300" } });
    // Without a finding: the item-time spent queued, Σ depth × 1 min.
    expect(w.priority).toBe(20 * ((59 * 60) / 2) * 60_000);
  });

  it("gives nothing when the workers already keep up", () => {
    const ok = resource({ ...plan, usage: [5], queue: { depth: 5, growthPerS: 0, arrivalPerS: 10, completionPerS: 40, workers: 4 } });
    expect(byKind(run([ok], {}), "add_workers")).toEqual([]);
  });

  it("builds the depth query from the metric's own selector, the id's labels, or the bare name", () => {
    const q = (metric: string, id = "queue:x") => depthQuery(resource({ id, name: "q", kind: "queue", services: ["w"], metric }));
    expect(q('jobs_waiting{queue="mail"}', 'queue:x{queue="other"}')).toBe('sum(jobs_waiting{queue="mail"})');
    expect(q("jobs_waiting", 'queue:jobs_waiting{queue="mail"}')).toBe('sum(jobs_waiting{queue="mail"})');
    expect(q("jobs_waiting")).toBe("sum(jobs_waiting)");
  });
});

describe("scale_up", () => {
  const usage = range(100).map((i) => (400 + i) * MIB);
  const plan = { id: "memory:checkout", name: "Memory of checkout", kind: "memory" as const, services: ["checkout"] };
  const memory = (peak: number) => resource({ ...plan, instances: 3, perInstance: 512 * MIB, current: 0.85, p95: 0.9, peak, usagePerInstance: usage });
  const cpu = checkoutCpu({ current: 0.5, p95: 0.6, peak: 0.7 });

  it("raises memory peaking at 97 % of its limit, from p95/p99 usage, with a resources patch", () => {
    const [up] = byKind(run([memory(0.97), cpu], { checkout: load(100) }), "scale_up");
    // p95 ≈ 494 MiB, p99 ≈ 498 MiB; + 20 %: 593 MiB and 598 MiB.
    expect(up).toMatchObject({ service: "checkout", resource: "Memory of checkout", current: "512Mi", suggested: "request 593Mi, limit 598Mi" });
    expect(up.rationale).toMatch(/peaked at 97 % of its 512Mi per replica/);
    const patch = parse(up.manifest!.yaml);
    expect(up.manifest!.kind).toBe("resources");
    expect(patch.spec.template.spec.containers[0]).toEqual({ name: "checkout",
      resources: { requests: { cpu: "1000m", memory: "593Mi" }, limits: { memory: "598Mi" } } });
  });

  it("gives no patch without the CPU request to keep", () => {
    const [up] = byKind(run([memory(0.97)], { checkout: load(100) }), "scale_up");
    expect(up.manifest).toBeUndefined();
  });

  it("leaves memory with room alone", () => {
    const roomy = resource({ ...plan, instances: 3, perInstance: 1024 * MIB, peak: 0.6, usagePerInstance: usage });
    expect(byKind(run([roomy], { checkout: load(100) }), "scale_up")).toEqual([]);
  });

  it("raises CPU only when the HPA is already at its maximum", () => {
    const cores = range(100).map((i) => 0.9 + i * 0.003);
    const hot = checkoutCpu({ instances: 10, current: 0.95, p95: 0.97, peak: 0.99, usagePerInstance: cores });
    const recs = run([hot], { checkout: load(300) });
    expect(byKind(recs, "scale_out")).toEqual([]);
    const [up] = byKind(recs, "scale_up");
    expect(up).toMatchObject({ current: "1000m", suggested: "request 1360m, no limit" });
    expect(byKind(run([checkoutCpu({ usagePerInstance: cores })], { checkout: load(300) }), "scale_up")).toEqual([]);
  });
});

describe("add_cache", () => {
  const read = (op: string, count: number, extra: Partial<RecommendFinding> = {}) =>
    ({ ...finding("slow_operation", "catalog", op, 40_000, { current: { count, meanMs: 80 } }), ...extra });

  it("suggests caching a read called often, saving the finding's time", () => {
    const [c] = byKind(run([], {}, [read("SELECT products", 500)]), "add_cache");
    expect(c).toMatchObject({ service: "catalog", current: "80 ms per call, uncached", suggested: "cache its results", priority: 40_000 });
    expect(c.rationale).toMatch(/SELECT products in catalog is a read made 500 times .* save up to 40\.0 s/);
  });

  it("takes client spans as reads, merges findings on one operation, and skips writes, rare reads and N+1s", () => {
    const hotspot = { ...finding("critical_path_hotspot", "catalog", "SELECT products", 60_000, { current: { count: 500 } }) };
    const recs = run([], {}, [
      read("SELECT products", 500), hotspot,
      read("POST /orders", 500), read("rpc Lookup", 500, { spanKind: "client" }), read("GET /rare", 20),
      read("findUser", 500), finding("n_plus_one", "catalog", "findUser", 10),
    ]);
    const caches = byKind(recs, "add_cache");
    expect(caches.map((c) => c.id).sort()).toEqual(["add_cache:catalog:SELECT products", "add_cache:catalog:rpc Lookup"]);
    const sel = caches.find((c) => c.id.endsWith("SELECT products"))!;
    expect(sel.priority).toBe(60_000);
    expect(sel.evidence.findings).toHaveLength(2);
  });
});

it("sorts every recommendation by the user time at stake", () => {
  const recs = run([checkoutCpu()], { checkout: load(300), gateway: load(10) }, [
    finding("sequential_calls", "gateway", "GET /home", 3e9, { msPerHit: 120 }), finding("n_plus_one", "search", "SELECT x", 10, { msPerHit: 1 }),
  ]);
  const priorities = recs.map((r) => r.priority);
  expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
  // The fix and the advice not to scale for it share the stake.
  expect(recs.slice(0, 2).map((r) => r.kind).sort()).toEqual(["do_not_scale", "parallelize_calls"]);
  expect(recs[0].priority).toBe(3e9);
  expect(recs.map((r) => r.kind)).toContain("scale_out");
});
