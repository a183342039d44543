import { type Point, alignedPearson } from "./correlation";
import { durationText } from "./duration-text";
import { int, pct } from "./regressions";
import type { ResourceKind, ResourceMeasurement } from "./resource-types";

/**
 * `saturation`: a resource running hot (or a queue backing up) while a service using it gets
 * slower or fails more in the same minutes. High utilization alone is not a bottleneck — a
 * batch host can sit at 95 % happily — so a finding needs both: the resource past the threshold
 * and a service's latency or error rate that moves with it.
 */

/** One service per minute, as the metrics and trace rollups give it. */
export interface ServiceMinutes {
  /** p95 (or mean) latency per minute, ms. */
  latencyMs: Point[];
  errorRate: Point[];
  /** Requests per minute. */
  requests: Point[];
}

export interface SaturationFinding {
  id: string;
  kind: "saturation";
  service: string;
  /** The resource in words (its plan's name). */
  resource: string;
  /** Estimated user time lost in the window, ms: the ranking. */
  score: number;
  summary: string;
  evidence: {
    resourceId: string; kind: ResourceKind;
    /** Utilization now (mean of the last 5 minutes), p95 and peak over the window; undefined without capacity. */
    utilization?: number; p95?: number; peak?: number;
    instances: number;
    correlation: { with: "latency" | "error rate"; r: number; n: number };
    threshold: number;
    metric: string;
    /** Used by two services or more: scaling any one of them will not relieve it. */
    shared: boolean;
    queue?: ResourceMeasurement["queue"];
    traceSearch: string;
    /** `utilization` holds the queue depth for queues, which have no capacity. */
    chart: { utilization: Point[]; latencyMs: Point[] };
    test: string;
  };
}

export interface SaturationInput {
  resources: ResourceMeasurement[];
  services: Map<string, ServiceMinutes>;
  window: { from: number; to: number; searchWindow: string };
  /** Utilization at or above this is saturated; 0.8 by default. */
  threshold?: number;
  /** Pearson r at or above this counts as moving together; 0.5 by default. */
  minCorrelation?: number;
}

/** Fewer paired minutes than this cannot tell a trend from coincidence. */
const MIN_PAIRS = 5;
/** A queue must grow by at least this many items, and this share of its depth, over the window. */
const MIN_QUEUE_GROWTH_ITEMS = 10;
const MIN_QUEUE_GROWTH_SHARE = 0.1;
/** A failed request costs its user at least this much (a retry, a reload), as for error spikes. */
const FAILED_REQUEST_COST_MS = 1000;
/** With fewer calm minutes than this, their median is noise; the lowest quartile of all minutes stands in. */
const MIN_CALM_MINUTES = 3;
const MIB = 1024 * 1024;

export function saturationFindings(input: SaturationInput): SaturationFinding[] {
  const { resources, services, window: w, threshold = 0.8, minCorrelation = 0.5 } = input;
  const windowS = (w.to - w.from) / 1000;
  const out: SaturationFinding[] = [];
  for (const r of resources) {
    const hotByUtilization = r.utilization !== undefined && Math.max(r.current ?? -Infinity, r.p95 ?? -Infinity) >= threshold;
    const q = r.queue;
    const growth = q && q.growthPerS !== null && q.growthPerS > 0 ? q.growthPerS * windowS : 0;
    const queueGrowing = growth >= MIN_QUEUE_GROWTH_ITEMS && growth >= MIN_QUEUE_GROWTH_SHARE * (q?.depth ?? 0);
    if (!hotByUtilization && !queueGrowing) continue;

    // A queue has no capacity: its depth is what the service's latency is compared with.
    const series = hotByUtilization ? r.utilization! : r.usage;
    const isHot = hotByUtilization ? (v: number) => v >= threshold : queueHot(series);
    const shared = r.plan.services.length >= 2;

    for (const service of r.plan.services) {
      const m = services.get(service);
      if (!m) continue;
      const corr = strongest(series, m, minCorrelation);
      if (!corr) continue;
      const score = lostTime(series, isHot, m);
      const traceSearch = `/traces?${new URLSearchParams({ service, window: w.searchWindow })}`;
      const hotMinutes = series.filter((p) => isHot(p.v)).length;
      out.push({
        // The service too: a shared resource gives one finding per client, and ids must be unique.
        id: `saturation:${r.plan.id}:${service}`,
        kind: "saturation", service, resource: r.plan.name, score,
        summary: `${state(r, hotByUtilization)} and ${service}'s ${corr.with} moves with it (r = ${corr.r.toFixed(2)} over ${corr.n} minutes)`,
        evidence: {
          resourceId: r.plan.id, kind: r.plan.kind, utilization: r.current, p95: r.p95, peak: r.peak, instances: r.instances,
          correlation: corr, threshold, metric: r.plan.metric, shared, ...(q ? { queue: q } : {}), traceSearch,
          chart: { utilization: series, latencyMs: m.latencyMs },
          test: `Pearson r = ${corr.r.toFixed(2)} between ${hotByUtilization ? "utilization" : "queue depth"} and ${service}'s ${corr.with} ` +
            `over ${corr.n} paired minutes; ${hotByUtilization ? `at or above ${pct(threshold)}` : "backed up"} in ${hotMinutes} of ${series.length} minutes, ` +
            `costing about ${durationText(score)} of user time`,
        },
      });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Latency first: it is what the score measures; the error rate counts when latency does not move. */
function strongest(series: Point[], m: ServiceMinutes, min: number): SaturationFinding["evidence"]["correlation"] | null {
  for (const [what, ys] of [["latency", m.latencyMs], ["error rate", m.errorRate]] as const) {
    const { r, n } = alignedPearson(series, ys);
    if (r !== null && r >= min && n >= MIN_PAIRS) return { with: what, r, n };
  }
  return null;
}

/**
 * A queue is backed up in the minutes its depth stands at least 10 items above its lowest
 * quartile: the level it drains to when the consumers keep up.
 */
function queueHot(depth: Point[]): (v: number) => boolean {
  const floor = quantile(depth.map((p) => p.v), 0.25) ?? 0;
  return (v) => v >= floor + MIN_QUEUE_GROWTH_ITEMS;
}

/**
 * User time lost: in each hot minute, the latency above the service's calm baseline times the
 * requests served, plus the extra failures at a second each. The baseline is the service's own:
 * the median of its calm minutes, or, when it was hardly ever calm, its lowest-quartile minute.
 * Latency is per-minute p95 (or mean) applied to every request, so this is an estimate of the
 * order of the loss, good for ranking; floored at 0.
 */
function lostTime(series: Point[], isHot: (v: number) => boolean, m: ServiceMinutes): number {
  const hot = new Set(series.filter((p) => Number.isFinite(p.v) && isHot(p.v)).map((p) => p.t));
  const calm = new Set(series.filter((p) => Number.isFinite(p.v) && !isHot(p.v)).map((p) => p.t));
  const latency = baseline(m.latencyMs, calm);
  const errors = baseline(m.errorRate, calm);
  const byT = (ps: Point[]) => new Map(ps.map((p) => [p.t, p.v]));
  const lat = byT(m.latencyMs);
  const err = byT(m.errorRate);
  let lost = 0;
  for (const p of m.requests) {
    if (!hot.has(p.t) || !(p.v > 0)) continue;
    const l = lat.get(p.t);
    const e = err.get(p.t);
    if (latency !== null && l !== undefined && Number.isFinite(l)) lost += Math.max(0, l - latency) * p.v;
    if (errors !== null && e !== undefined && Number.isFinite(e)) lost += Math.max(0, e - errors) * p.v * FAILED_REQUEST_COST_MS;
  }
  return lost;
}

function baseline(points: Point[], calm: Set<number>): number | null {
  const calmValues = points.filter((p) => calm.has(p.t)).map((p) => p.v);
  return calmValues.length >= MIN_CALM_MINUTES ? quantile(calmValues, 0.5) : quantile(points.map((p) => p.v), 0.25);
}

function quantile(values: number[], q: number): number | null {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/** "CPU of checkout is at 92 % (p95 95 %, capacity 1 core × 3 replicas)", or how far a queue has backed up. */
function state(r: ResourceMeasurement, byUtilization: boolean): string {
  if (!byUtilization) {
    const q = r.queue!;
    return `${r.plan.name} holds ${int(q.depth)} items and grows by ${q.growthPerS!.toFixed(1)} a second`;
  }
  const now = r.current ?? r.p95!;
  const total = r.capacity?.[r.capacity.length - 1]?.v;
  const capacity = total !== undefined && r.instances >= 1
    ? `, capacity ${amount(r.plan.kind, total / r.instances)}${r.instances > 1 ? ` × ${r.instances} ${r.plan.kind === "cpu" || r.plan.kind === "memory" ? "replicas" : "instances"}` : ""}`
    : "";
  return `${r.plan.name} is at ${pct(now)} (p95 ${pct(r.p95 ?? now)}${capacity})`;
}

/** A capacity in its unit: cores, MiB/GiB, or a plain count (connections, slots). */
function amount(kind: ResourceKind, x: number): string {
  if (kind === "cpu") return `${+x.toFixed(2)} core${x === 1 ? "" : "s"}`;
  if (kind === "memory") return x >= 1024 * MIB ? `${+(x / (1024 * MIB)).toFixed(1)} GiB` : `${Math.round(x / MIB)} MiB`;
  return int(x);
}
