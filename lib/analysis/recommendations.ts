import { durationText } from "./duration-text";
import { cpuQuantity, hpaManifest, kedaScaledObject, memoryQuantity, resourcesPatch } from "./manifests";
import { erlangC, fitServiceTime, whatIf } from "./queueing";
import { int, pct } from "./regressions";
import type { ResourceMeasurement } from "./resource-types";
import { concurrencyLimit, hpaDesiredReplicas, queueWorkers, verticalSize } from "./scaling";

/**
 * Scaling advice from the findings and the resource measurements: what to change, by how much,
 * and why — including when scaling will not help (`do_not_scale`), because more replicas are the
 * reflex answer to every slowdown and often the wrong one.
 */

export interface ServiceLoad {
  requestRatePerS: number;
  meanLatencyMs: number | null;
  p95LatencyMs: number | null;
  errorRate: number;
  /** The error rate in the window before, when known. */
  errorRateBefore?: number;
}

export interface ScalingPolicy {
  /** The HPA target, e.g. 0.7. */
  targetUtilization: number;
  minReplicas: number;
  maxReplicas: number;
  namespace?: string;
}

/** Any finding the ranking holds; only the fields the advice reads. */
export interface RecommendFinding {
  kind: string;
  service: string;
  operation?: string;
  spanKind?: string;
  score: number;
  summary: string;
  id: string;
  evidence?: Record<string, unknown>;
}

export interface RecommendInput {
  resources: ResourceMeasurement[];
  services: Map<string, ServiceLoad>;
  findings: RecommendFinding[];
  policy: (service: string) => ScalingPolicy;
  window: { from: number; to: number; searchWindow: string };
}

export type RecommendationKind = "scale_out" | "scale_in" | "scale_up" | "add_workers" | "rate_limit" | "add_cache" | "fix_n_plus_one" |
  "parallelize_calls" | "do_not_scale";

export interface PredictedPoint {
  replicas: number;
  utilization: number;
  /** Null: no steady state, the queue grows without bound. */
  p95Ms: number | null;
}

export interface Recommendation {
  id: string;
  kind: RecommendationKind;
  service: string;
  resource?: string;
  current: string | number;
  suggested: string | number;
  /** Plain words: what, by how much, why. */
  rationale: string;
  evidence: { findings: string[]; links: { label: string; href: string }[]; figures: Record<string, number | string> };
  /** Replicas → predicted utilization and p95. */
  predicted?: PredictedPoint[];
  manifest?: { kind: "HorizontalPodAutoscaler" | "ScaledObject" | "resources"; yaml: string };
  /** The sort key: user time at stake in the window, ms. */
  priority: number;
}

/** Utilization at which a resource counts as saturated without a finding; the saturation findings' default threshold. */
const SATURATED = 0.8;
const HPA_TOLERANCE = 0.1;
/** A saturated resource is modelled just short of 100 %, where M/M/c still has a steady state. */
const MAX_FITTED_UTILIZATION = 0.99;
/** Memory this close to its limit is an OOM kill waiting to happen. */
const NEAR_LIMIT = 0.9;
/** Errors "rose" when they at least doubled and went up by a percentage point (as for error spikes). */
const ERROR_RISE_FACTOR = 2;
const ERROR_RISE_MIN = 0.01;
const FAILED_REQUEST_COST_MS = 1000;
/** A read called fewer times than this in a window is not worth a cache. */
const CACHE_MIN_CALLS = 100;
const READ_LIKE = /^(get|select|find|fetch|read)/i;
/** KEDA gives each replica at most this many seconds of backlog. */
const KEDA_BACKLOG_S = 30;
/** Where KEDA reaches Prometheus; the user edits it to theirs. */
const PROMETHEUS_ADDRESS = "http://prometheus.monitoring.svc:9090";
const CODE_FIX_KINDS = new Set(["n_plus_one", "sequential_calls"]);

interface Ctx {
  input: RecommendInput;
  windowS: number;
  /** Saturation findings by resource id. */
  saturation: Map<string, RecommendFinding[]>;
}

export function recommend(input: RecommendInput): Recommendation[] {
  const saturation = new Map<string, RecommendFinding[]>();
  for (const f of input.findings) {
    const id = f.kind === "saturation" ? f.evidence?.resourceId : undefined;
    if (typeof id === "string") saturation.set(id, [...(saturation.get(id) ?? []), f]);
  }
  const ctx: Ctx = { input, windowS: (input.window.to - input.window.from) / 1000, saturation };

  const holds = doNotScale(ctx);
  const out: Recommendation[] = [...holds.values()];
  for (const r of input.resources) {
    const shared = r.plan.services.length >= 2;
    if (!shared && r.plan.kind === "cpu") {
      const h = horizontal(ctx, r, holds.has(r.plan.services[0]));
      if (h.rec) out.push(h.rec);
      // CPU goes up only once it cannot go out: the HPA is already at its maximum.
      if (h.atMax) push(out, vertical(ctx, r));
    }
    if (!shared && r.plan.kind === "memory") push(out, vertical(ctx, r));
    if (shared && r.plan.kind !== "queue" && saturated(ctx, r)) push(out, rateLimit(ctx, r));
    if (r.plan.kind === "queue") push(out, addWorkers(ctx, r));
  }
  out.push(...codeFixes(ctx));
  return out.sort((a, b) => b.priority - a.priority);
}

function push(out: Recommendation[], rec: Recommendation | null): void {
  if (rec) out.push(rec);
}

function saturated(ctx: Ctx, r: ResourceMeasurement): boolean {
  return ctx.saturation.has(r.plan.id) || Math.max(r.current ?? 0, r.p95 ?? 0) >= SATURATED;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const scoreOf = (fs: RecommendFinding[]) => sum(fs.map((f) => Math.max(0, f.score)));
const num = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);

function findingLinks(ctx: Ctx, fs: RecommendFinding[]): Recommendation["evidence"]["links"] {
  return fs.flatMap((f) => {
    const label = f.kind.replaceAll("_", " ") + (f.operation ? `: ${f.operation}` : "");
    const href = `/bottlenecks?window=${encodeURIComponent(ctx.input.window.searchWindow)}#${encodeURIComponent(f.id)}`;
    const search = f.evidence?.traceSearch;
    return [{ label, href }, ...(typeof search === "string" ? [{ label: `Traces: ${f.service}${f.operation ? ` ${f.operation}` : ""}`, href: search }] : [])];
  });
}

const serviceLink = (service: string) => ({ label: `${service} charts`, href: `/services/${encodeURIComponent(service)}` });
const overviewLink = (ctx: Ctx) => ({ label: "Overview charts", href: `/?window=${encodeURIComponent(ctx.input.window.searchWindow)}` });

function evidence(ctx: Ctx, fs: RecommendFinding[], links: Recommendation["evidence"]["links"], figures: Recommendation["evidence"]["figures"]) {
  return { findings: fs.map((f) => f.id), links: [...findingLinks(ctx, fs), ...links], figures };
}

/** Capacity per instance (cores, bytes, slots), from the latest capacity minute. */
function capacityPerInstance(r: ResourceMeasurement): number | undefined {
  const total = r.capacity?.[r.capacity.length - 1]?.v;
  return total !== undefined && total > 0 && r.instances >= 1 ? total / r.instances : undefined;
}

/** The service's replica count, from its own CPU or memory measurement. */
function replicasOf(ctx: Ctx, service: string): number | undefined {
  return ctx.input.resources.find((r) => (r.plan.kind === "cpu" || r.plan.kind === "memory") && r.plan.services.length === 1 &&
    r.plan.services[0] === service)?.instances;
}

/**
 * One `do_not_scale` per service where more replicas would not help, with the first reason that
 * holds: (a) it is bound by a saturated shared resource, (b) its errors rose with nothing of its
 * own saturated, (c) its largest latency cost is an N+1 or sequential calls, with nothing saturated.
 */
function doNotScale(ctx: Ctx): Map<string, Recommendation> {
  const { input } = ctx;
  const services = new Set([...input.services.keys(), ...input.resources.flatMap((r) => r.plan.services), ...input.findings.map((f) => f.service)]);
  const out = new Map<string, Recommendation>();
  for (const service of services) {
    // Its saturated resources: those it is mapped to, and those a saturation finding ties its latency to.
    const mine = input.resources.filter((r) => saturated(ctx, r) &&
      (r.plan.services.includes(service) || (ctx.saturation.get(r.plan.id) ?? []).some((f) => f.service === service)));
    const rec = boundByShared(ctx, service, mine) ?? (mine.length ? null : errorsWithoutSaturation(ctx, service) ?? codeBound(ctx, service));
    if (rec) out.set(service, rec);
  }
  return out;
}

function held(ctx: Ctx, service: string, resource: string | undefined, fs: RecommendFinding[], rationale: string,
  figures: Recommendation["evidence"]["figures"], priority: number): Recommendation {
  const replicas = replicasOf(ctx, service);
  return {
    id: `do_not_scale:${service}`, kind: "do_not_scale", service, ...(resource ? { resource } : {}),
    current: replicas ?? "as is", suggested: replicas ?? "as is", rationale,
    evidence: evidence(ctx, fs, [serviceLink(service)], figures), priority,
  };
}

function boundByShared(ctx: Ctx, service: string, mine: ResourceMeasurement[]): Recommendation | null {
  const mineShared = (r: ResourceMeasurement) => (ctx.saturation.get(r.plan.id) ?? []).filter((f) => f.service === service);
  // The shared resource costing this service most; by utilization when no finding scores it.
  // Queues are left out: more consumers is how a backed-up queue is drained.
  const [r] = mine.filter((x) => x.plan.kind !== "queue" && (x.plan.services.length >= 2 || mineShared(x).some((f) => f.evidence?.shared === true)))
    .sort((a, b) => scoreOf(mineShared(b)) - scoreOf(mineShared(a)) || (b.current ?? 0) - (a.current ?? 0));
  if (!r) return null;
  const others = r.plan.services.filter((s) => s !== service);
  const sharedWith = others.join(", ") || "other services";
  const fs = mineShared(r);
  const u = r.current ?? r.p95;
  return held(ctx, service, r.plan.name, fs,
    `Do not add replicas to ${service}: it waits on ${r.plan.name}, which is saturated${u !== undefined ? ` (${pct(u)})` : ""} and shared with ` +
      `${sharedWith}. More replicas of ${service} add more clients to the same bottleneck and would make it worse for every service using it. ` +
      `Limit the concurrency in front of ${r.plan.name} or raise its capacity instead.`,
    { sharedResource: r.plan.id, sharedWith, ...(u !== undefined ? { utilization: u } : {}) }, scoreOf(fs));
}

function errorsWithoutSaturation(ctx: Ctx, service: string): Recommendation | null {
  const spikes = ctx.input.findings.filter((f) => f.service === service && f.kind === "error_spike");
  const load = ctx.input.services.get(service);
  const before = load?.errorRateBefore;
  const rose = load !== undefined && before !== undefined && load.errorRate >= ERROR_RISE_FACTOR * before && load.errorRate - before >= ERROR_RISE_MIN;
  if (!spikes.length && !rose) return null;
  // Without a finding to score it: the extra failures in the window, a second each.
  const priority = spikes.length ? scoreOf(spikes) : (load!.errorRate - before!) * load!.requestRatePerS * ctx.windowS * FAILED_REQUEST_COST_MS;
  const change = rose ? `its error rate rose from ${pct(before!)} to ${pct(load!.errorRate)}` : "its errors rose";
  return held(ctx, service, undefined, spikes,
    `Do not scale ${service} for its errors: ${change} while none of its resources is saturated. Errors without saturation point at a change ` +
      `(a deploy, a config change, a failing dependency), not capacity; more replicas would fail the same way. Look at what changed when the errors began.`,
    { ...(load ? { errorRate: load.errorRate } : {}), ...(before !== undefined ? { errorRateBefore: before } : {}) }, priority);
}

function codeBound(ctx: Ctx, service: string): Recommendation | null {
  const [top] = ctx.input.findings.filter((f) => f.service === service && f.kind !== "error_spike").sort((a, b) => b.score - a.score);
  if (!top || !CODE_FIX_KINDS.has(top.kind)) return null;
  const what = top.kind === "n_plus_one" ? "an N+1 (the same call repeated in a row)" : "downstream calls made one after another";
  return held(ctx, service, undefined, [top],
    `Do not scale ${service} for latency: its largest latency cost is ${what} in ${top.operation ?? "one operation"} ` +
      `(${durationText(top.score)} in this window), and none of its resources is saturated. More replicas will not make one request faster; fix the code.`,
    { topCause: top.kind, savingMs: top.score }, top.score);
}

/**
 * `scale_out` / `scale_in` for a service's own CPU by the HPA formula. Returns whether the HPA is
 * pinned at its maximum while still over target, when only bigger replicas can help.
 */
function horizontal(ctx: Ctx, r: ResourceMeasurement, isHeld: boolean): { rec: Recommendation | null; atMax: boolean } {
  const service = r.plan.services[0];
  const capacity = capacityPerInstance(r);
  const u = r.current;
  if (isHeld || capacity === undefined || u === undefined || r.instances < 1) return { rec: null, atMax: false };
  const policy = ctx.input.policy(service);
  const base = { currentReplicas: r.instances, currentUtilization: u, targetUtilization: policy.targetUtilization, tolerance: HPA_TOLERANCE };
  const hpa = hpaDesiredReplicas({ ...base, minReplicas: policy.minReplicas, maxReplicas: policy.maxReplicas });
  const atMax = !hpa.withinTolerance && hpa.ratio > 1 && r.instances >= policy.maxReplicas;
  const out = hpa.desired > r.instances;
  const calm = (r.p95 ?? u) < policy.targetUtilization;
  if (hpa.withinTolerance || !(out || (hpa.desired < r.instances && calm))) return { rec: null, atMax };

  const raw = hpaDesiredReplicas({ ...base, minReplicas: 0, maxReplicas: Number.MAX_SAFE_INTEGER }).desired;
  const formula = `ceil(${r.instances} × ${u.toFixed(2)} / ${policy.targetUtilization.toFixed(2)}) = ${raw}` +
    (hpa.clamped ? `, ${hpa.clamped === "max" ? "capped at the policy's maximum" : "raised to the policy's minimum"} of ${hpa.desired}` : "");
  const model = predict(ctx, r, service, hpa.desired, policy.maxReplicas, capacity);
  const fs = ctx.saturation.get(r.plan.id)?.filter((f) => f.service === service) ?? [];
  const after = model?.points.find((p) => p.replicas === hpa.desired);
  const now = model?.points.find((p) => p.replicas === r.instances);
  const prediction = after && now
    ? ` The queueing model predicts a p95 of ${ms(after.p95Ms)} at ${hpa.desired} replicas, against ${ms(now.p95Ms)} at ${r.instances} now.`
    : "";
  const delta = Math.abs(hpa.desired - r.instances);
  const rationale = out
    ? `${r.plan.name} averages ${pct(u)} of its capacity over the last 5 minutes (p95 ${pct(r.p95 ?? u)}), above the ${pct(policy.targetUtilization)} target. ` +
      `The HPA formula gives ${formula} replicas: add ${delta} to bring it to about ${pct((u * r.instances) / hpa.desired)}.${prediction}`
    : `${r.plan.name} is calm: ${pct(u)} now and ${pct(r.p95 ?? u)} at p95 over the window, below the ${pct(policy.targetUtilization)} target. ` +
      `The HPA formula gives ${formula} replicas: remove ${delta}; the rest would run at about ${pct((u * r.instances) / hpa.desired)}.${prediction}`;
  // At stake: the user time the saturation findings measured, else what the model says the change saves (means, over
  // the window's requests). Scaling in saves money, not user time: it ranks last.
  const modelled = model && now?.meanMs != null && after?.meanMs != null ? Math.max(0, now.meanMs - after.meanMs) * model.rate * ctx.windowS : 0;
  return {
    atMax,
    rec: {
      id: `${out ? "scale_out" : "scale_in"}:${r.plan.id}`, kind: out ? "scale_out" : "scale_in", service, resource: r.plan.name,
      current: r.instances, suggested: hpa.desired, rationale,
      evidence: evidence(ctx, fs, [serviceLink(service)], {
        currentReplicas: r.instances, desiredReplicas: hpa.desired, utilization: u, ...(r.p95 !== undefined ? { p95Utilization: r.p95 } : {}),
        targetUtilization: policy.targetUtilization, formula, coresPerReplica: capacity,
        ...(model ? { serviceTimeMs: model.serviceTimeMs, requestRatePerS: model.rate, modelledArrivalsPerS: model.arrivalRate } : {}),
      }),
      ...(model ? { predicted: model.points.map(({ replicas, utilization, p95Ms }) => ({ replicas, utilization, p95Ms })) } : {}),
      manifest: {
        kind: "HorizontalPodAutoscaler",
        yaml: hpaManifest({ name: service, namespace: policy.namespace, minReplicas: Math.max(1, policy.minReplicas), maxReplicas: policy.maxReplicas,
          targetCpuUtilizationPercent: Math.round(policy.targetUtilization * 100) }),
      },
      priority: out ? (fs.length ? scoreOf(fs) : modelled) : 0,
    },
  };
}

const ms = (x: number | null) => (x === null ? "no steady state (the queue keeps growing)" : durationText(x));

/**
 * Replicas → p95 with M/M/c, each replica as many servers as it has cores (at least one), fitted
 * so that the model reproduces the present at the current count: its utilization and its mean
 * latency. Mean latency is service time plus the M/M/c wait at that utilization, which gives the
 * service time; the utilization law then gives the work arriving. That is more than the request
 * rate when the CPU also does other work (background jobs, a noisy neighbour), and that work
 * spreads over the replicas too, as the HPA assumes. Without a measured latency, the service time
 * comes from the utilization law alone. Null without traffic to fit.
 */
function predict(ctx: Ctx, r: ResourceMeasurement, service: string, desired: number, maxReplicas: number, cores: number) {
  const load = ctx.input.services.get(service);
  const rate = load?.requestRatePerS ?? 0;
  if (!(rate > 0)) return null;
  const perReplica = Math.max(1, Math.round(cores));
  const servers = r.instances * perReplica;
  const busy = Math.min(MAX_FITTED_UTILIZATION, r.current!);
  const latency = load?.meanLatencyMs;
  let serviceTimeMs: number;
  let arrivalRate = rate;
  if (latency != null && latency > 0) {
    serviceTimeMs = latency / (1 + erlangC(servers, busy * servers) / (servers * (1 - busy)));
    arrivalRate = (busy * servers) / (serviceTimeMs / 1000);
  } else {
    serviceTimeMs = fitServiceTime({ throughputPerS: rate, busyFraction: busy, servers });
  }
  const lo = Math.max(1, Math.min(r.instances, desired));
  const hi = Math.max(r.instances, Math.min(maxReplicas, Math.max(desired + 2, r.instances + 1)));
  const replicas = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return { rate, arrivalRate, serviceTimeMs, points: whatIf({ arrivalRate, serviceTimeMs, concurrencyPerReplica: perReplica, replicas }) };
}

/**
 * `scale_up`: bigger replicas, sized from observed usage per instance (p95/p99 plus margin), when
 * memory nears its limit or usage goes past it (for CPU: past it with the HPA at its maximum).
 */
function vertical(ctx: Ctx, r: ResourceMeasurement): Recommendation | null {
  const service = r.plan.services[0];
  const capacity = capacityPerInstance(r);
  if (capacity === undefined || r.usagePerInstance.length === 0) return null;
  const memory = r.plan.kind === "memory";
  const size = verticalSize({ usage: r.usagePerInstance, kind: memory ? "memory" : "cpu" });
  const nearLimit = (r.peak ?? 0) >= NEAR_LIMIT || size.p99 > capacity;
  if (!nearLimit || (size.limit ?? size.request) <= capacity) return null;

  const q = memory ? memoryQuantity : cpuQuantity;
  const suggested = memory ? `request ${q(size.request)}, limit ${q(size.limit!)}` : `request ${q(size.request)}, no limit`;
  const fs = ctx.saturation.get(r.plan.id) ?? [];
  const rationale = memory
    ? `${r.plan.name} peaked at ${pct(r.peak ?? size.p99 / capacity)} of its ${q(capacity)} per replica (p99 ${q(size.p99)}); at the limit the container is ` +
      `OOM-killed. Size it from usage: request = p95 ${q(size.p95)} + 20 % = ${q(size.request)}, limit = p99 ${q(size.p99)} + 20 % = ${q(size.limit!)}.`
    : `${r.plan.name} peaked at ${pct(r.peak ?? size.p99 / capacity)} of its ${q(capacity)} per replica with the HPA already at its maximum: ` +
      `only bigger replicas help. Request = p95 ${q(size.p95)} + 15 % = ${q(size.request)}, and no CPU limit, which would throttle it.`;
  const patch = resourcesPatchFor(ctx, r, service, size);
  return {
    id: `scale_up:${r.plan.id}`, kind: "scale_up", service, resource: r.plan.name, current: q(capacity), suggested, rationale,
    evidence: evidence(ctx, fs, [serviceLink(service)], {
      capacityPerInstance: capacity, p95Usage: size.p95, p99Usage: size.p99, request: size.request, ...(size.limit !== null ? { limit: size.limit } : {}),
      ...(r.peak !== undefined ? { peakUtilization: r.peak } : {}),
    }),
    ...(patch ? { manifest: { kind: "resources" as const, yaml: patch } } : {}),
    // No user time is measured lost until it is killed or throttled; what saturation findings measured, if any.
    priority: scoreOf(fs),
  };
}

/**
 * A patch needs CPU and memory both: the dimension not being resized keeps its measured capacity
 * per instance. Without that measurement there is no patch. The container is assumed to share the
 * service's name.
 */
function resourcesPatchFor(ctx: Ctx, r: ResourceMeasurement, service: string, size: ReturnType<typeof verticalSize>): string | null {
  const other = ctx.input.resources.find((x) => x.plan.kind === (r.plan.kind === "memory" ? "cpu" : "memory") && x.plan.services.length === 1 &&
    x.plan.services[0] === service);
  const kept = other && capacityPerInstance(other);
  if (kept === undefined) return null;
  return r.plan.kind === "memory"
    ? resourcesPatch({ container: service, cpuRequest: kept, memoryRequest: size.request, memoryLimit: size.limit! })
    : resourcesPatch({ container: service, cpuRequest: size.request, cpuLimit: null, memoryRequest: kept, memoryLimit: kept });
}

/**
 * `rate_limit` in front of a saturated shared resource. By Little's law, at the throughput it
 * manages now (saturated, so about its capacity) and the latency its clients see, λ·W requests
 * are in flight; admitting more only lengthens the queue for all. Split by request rate.
 */
function rateLimit(ctx: Ctx, r: ResourceMeasurement): Recommendation | null {
  const clients = r.plan.services.flatMap((s) => {
    const l = ctx.input.services.get(s);
    return l && l.requestRatePerS > 0 && l.meanLatencyMs !== null && l.meanLatencyMs > 0 ? [{ service: s, rate: l.requestRatePerS, latency: l.meanLatencyMs }] : [];
  }).sort((a, b) => b.rate - a.rate);
  if (clients.length === 0) return null;
  const throughput = sum(clients.map((c) => c.rate));
  const latency = sum(clients.map((c) => c.rate * c.latency)) / throughput;
  const limit = concurrencyLimit({ capacityThroughputPerS: throughput, latencyAtCapacityMs: latency });
  const shares = clients.map((c) => ({ ...c, limit: Math.max(1, Math.floor((limit.maxConcurrency * c.rate) / throughput)) }));
  const fs = ctx.saturation.get(r.plan.id) ?? [];
  const u = r.current ?? r.p95;
  const inFlight = throughput * (latency / 1000);
  return {
    id: `rate_limit:${r.plan.id}`, kind: "rate_limit", service: clients[0].service, resource: r.plan.name,
    current: "unlimited", suggested: `≤ ${int(limit.maxConcurrency)} concurrent (≈ ${int(limit.maxRatePerS)} req/s)`,
    rationale: `${r.plan.name} is saturated${u !== undefined ? ` (${pct(u)})` : ""} and shared by ${r.plan.services.join(", ")}. By Little's law, at ` +
      `${int(throughput)} req/s and ${durationText(latency)} mean latency ${inFlight.toFixed(1)} requests are in flight; more only queue. ` +
      `Admit 90 % of that: at most ${int(limit.maxConcurrency)} concurrent requests, split by request rate: ` +
      `${shares.map((s) => `${s.service} ≤ ${int(s.limit)}`).join(", ")}. Requests over the limit should fail fast or wait in the client, not pile onto ${r.plan.name}.`,
    evidence: evidence(ctx, fs, [overviewLink(ctx), ...clients.map((c) => serviceLink(c.service))], {
      throughputPerS: throughput, latencyMs: latency, inFlight, maxConcurrency: limit.maxConcurrency, maxRatePerS: limit.maxRatePerS,
      ...Object.fromEntries(shares.map((s) => [`limit:${s.service}`, s.limit])),
    }),
    priority: scoreOf(fs),
  };
}

/** `add_workers` for a queue that is backed up or growing, with a KEDA ScaledObject on its depth. */
function addWorkers(ctx: Ctx, r: ResourceMeasurement): Recommendation | null {
  const q = r.queue;
  if (!q || !(q.depth > 0 || (q.growthPerS ?? 0) > 0) || q.arrivalPerS === undefined || !(q.completionPerS! > 0) || !(q.workers! > 0)) return null;
  const workers = q.workers!;
  const perWorker = q.completionPerS! / workers;
  const w = queueWorkers({ arrivalRatePerS: q.arrivalPerS, perWorkerThroughputPerS: perWorker, backlog: q.depth, currentWorkers: workers });
  if (w.workersNeeded <= workers) return null;
  const service = r.plan.services[0];
  const policy = ctx.input.policy(service);
  const fs = ctx.saturation.get(r.plan.id) ?? [];
  // KEDA runs ceil(depth / threshold) replicas: a threshold of 30 s of one worker's output keeps every backlog under 30 s of work.
  const threshold = Math.max(1, Math.round(perWorker * KEDA_BACKLOG_S));
  // Above the policy's maximum when that is what the queue needs; the rationale's numbers say why.
  const maxReplicas = Math.max(policy.maxReplicas, w.workersNeeded);
  const drainNow = w.timeToDrainS === null ? "at this rate the backlog never drains" : `the backlog drains in ${durationText(w.timeToDrainS * 1000)}`;
  const growth = q.growthPerS !== null && q.growthPerS > 0 ? `, growing by ${q.growthPerS.toFixed(1)} a second` : "";
  const queuedItemMinutes = sum(r.usage.map((p) => p.v));
  return {
    id: `add_workers:${r.plan.id}`, kind: "add_workers", service, resource: r.plan.name, current: workers, suggested: w.workersNeeded,
    rationale: `${r.plan.name} holds ${int(q.depth)} items${growth}. ${workers} workers complete ${perWorker.toFixed(1)} a second each ` +
      `(${q.completionPerS!.toFixed(1)}/s) against ${q.arrivalPerS.toFixed(1)}/s arriving: ${drainNow}. Workers = ceil((arrivals × 1.2 + backlog / 600 s) / per worker) ` +
      `= ceil((${q.arrivalPerS.toFixed(1)} × 1.2 + ${int(q.depth)} / 600) / ${perWorker.toFixed(2)}) = ${w.workersNeeded}, which drain it in ` +
      `${durationText(w.timeToDrainWithSuggestedS * 1000)} and keep 20 % headroom. The ScaledObject runs one replica per ${threshold} items waiting ` +
      `(${KEDA_BACKLOG_S} s of one worker's output).`,
    evidence: evidence(ctx, fs, [overviewLink(ctx), serviceLink(service)], {
      depth: q.depth, ...(q.growthPerS !== null ? { growthPerS: q.growthPerS } : {}), arrivalPerS: q.arrivalPerS, completionPerS: q.completionPerS!,
      workers, perWorkerPerS: perWorker, workersNeeded: w.workersNeeded, kedaThreshold: threshold,
      ...(w.timeToDrainS !== null ? { timeToDrainS: w.timeToDrainS } : {}), timeToDrainWithSuggestedS: w.timeToDrainWithSuggestedS,
    }),
    manifest: {
      kind: "ScaledObject",
      yaml: kedaScaledObject({ name: service, namespace: policy.namespace, minReplicaCount: policy.minReplicas, maxReplicaCount: maxReplicas,
        prometheusServerAddress: PROMETHEUS_ADDRESS, query: depthQuery(r), threshold }),
    },
    // The user time measured by saturation findings; else the time items spent waiting (depth × minutes, Little's law).
    priority: fs.length ? scoreOf(fs) : queuedItemMinutes * 60_000,
  };
}

/**
 * PromQL for the queue's depth: the selector in the plan's metric ("name" or "name{labels}"), or
 * the labels in its id when the metric has none ("queue:name{queue=\"orders\"}").
 */
export function depthQuery(r: ResourceMeasurement): string {
  const m = /^[A-Za-z_:][A-Za-z0-9_:]*(\{[^}]*\})?/.exec(r.plan.metric.trim());
  const name = m ? m[0] : r.plan.metric.trim();
  const labels = m?.[1] ? "" : (/\{[^}]*\}/.exec(r.plan.id)?.[0] ?? "");
  return `sum(${name}${labels})`;
}

/** `add_cache`, `fix_n_plus_one`, `parallelize_calls`: code changes, ranked by the time the finding measured. */
function codeFixes(ctx: Ctx): Recommendation[] {
  const out: Recommendation[] = [];
  const caches = new Map<string, RecommendFinding[]>();
  // Where an N+1 hits a read, batching is the fix; a cache would hide it.
  const nPlusOne = new Set(ctx.input.findings.filter((f) => f.kind === "n_plus_one").map((f) => `${f.service}\u0000${f.operation}`));
  for (const f of ctx.input.findings) {
    if (CODE_FIX_KINDS.has(f.kind)) out.push(codeFix(ctx, f));
    const key = `${f.service}\u0000${f.operation}`;
    if ((f.kind === "slow_operation" || f.kind === "critical_path_hotspot") && readLike(f) && !nPlusOne.has(key)) caches.set(key, [...(caches.get(key) ?? []), f]);
  }
  for (const fs of caches.values()) out.push(addCache(ctx, fs));
  return out;
}

function codeFix(ctx: Ctx, f: RecommendFinding): Recommendation {
  const op = f.operation ?? "one operation";
  const msPerHit = num(f.evidence?.msPerHit);
  const hits = num(f.evidence?.hits);
  const base = {
    service: f.service, priority: Math.max(0, f.score),
    evidence: evidence(ctx, [f], [serviceLink(f.service)], { savingMs: f.score, ...(msPerHit !== undefined ? { msPerHit } : {}), ...(hits !== undefined ? { hits } : {}) }),
  };
  const perHit = msPerHit !== undefined ? ` ${durationText(msPerHit)} each time,` : "";
  if (f.kind === "sequential_calls") {
    return {
      id: `parallelize_calls:${f.id}`, kind: "parallelize_calls", ...base, current: "one after another", suggested: "concurrently",
      rationale: `${op} in ${f.service} calls its downstreams one after another while the request waits. Run the independent calls concurrently ` +
        `to save${perHit} ${durationText(f.score)} of user time in this window.`,
    };
  }
  const calls = num(f.evidence?.callsPerHit);
  return {
    id: `fix_n_plus_one:${f.id}`, kind: "fix_n_plus_one", ...base,
    current: calls !== undefined ? `${calls.toFixed(1)} calls per parent` : "one call per item", suggested: "1 batched call",
    rationale: `${op} in ${f.service} is called again and again by the same parent (N+1)${hits !== undefined ? `, ${int(hits)} times in this window` : ""}:` +
      `${perHit} ${durationText(f.score)} of user time in all. Batch the calls into one (an IN (…) query, a bulk endpoint, a data loader) to give it back.`,
  };
}

function readLike(f: RecommendFinding): boolean {
  const current = f.evidence?.current as { count?: unknown } | undefined;
  const client = f.spanKind === "client" || f.evidence?.spanKind === "client";
  return (READ_LIKE.test(f.operation ?? "") || client) && (num(current?.count) ?? 0) >= CACHE_MIN_CALLS;
}

/** One per operation; a slow_operation and a hotspot on the same read measure the same time, so the larger counts. */
function addCache(ctx: Ctx, fs: RecommendFinding[]): Recommendation {
  const top = fs.reduce((a, b) => (b.score > a.score ? b : a));
  const current = top.evidence!.current as { count: number; meanMs?: number | null };
  const mean = num(current.meanMs);
  return {
    id: `add_cache:${top.service}:${top.operation}`, kind: "add_cache", service: top.service,
    current: mean !== undefined ? `${durationText(mean)} per call, uncached` : "uncached", suggested: "cache its results",
    rationale: `${top.operation} in ${top.service} is a read made ${int(current.count)} times in this window` +
      `${mean !== undefined ? ` at ${durationText(mean)} per call` : ""}, and it is what users wait for. Caching its results (with a lifetime that ` +
      `fits how often the data changes) would save up to ${durationText(top.score)} of user time in a window like this one.`,
    evidence: evidence(ctx, fs, [serviceLink(top.service)], { savingMs: top.score, calls: current.count, ...(mean !== undefined ? { meanMs: mean } : {}) }),
    priority: Math.max(0, top.score),
  };
}
