import { criticalPathHotspots } from "./analysis/hotspots";
import { operationStats } from "./analysis/operation-stats";
import { patternFindings } from "./analysis/pattern-findings";
import type { RecommendFinding, ServiceLoad } from "./analysis/recommendations";
import { compareWindows } from "./analysis/regressions";
import type { ResourceMeasurement, SeriesSum } from "./analysis/resource-types";
import { isResourceMetric, measureResources, planResources } from "./analysis/resources";
import { type ServiceMinutes, saturationFindings } from "./analysis/saturation";
import { serviceSeries, summariseServices } from "./analysis/service-stats";
import { errorBudgetFindings } from "./analysis/slo-findings";
import { slowOperations } from "./analysis/slow-operations";
import type { TimeWindow } from "./analysis/time-window";
import { sloBurns } from "./slos/status";
import { minuteStats, seriesNamed } from "./store/metric-queries";
import type { Prisma } from "./store/prisma";
import { listResourceMappings } from "./store/resource-mapping-store";
import { operationBuckets, operationTotals, serviceMinuteBuckets, serviceMinuteTotals } from "./store/rollup-queries";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;
const minutes = (fromMs: number, toMs: number) => [Math.floor(fromMs / MINUTE_MS), Math.floor(toMs / MINUTE_MS)] as const;

async function statsBetween(db: Prisma, fromMs: number, toMs: number) {
  const [from, to] = minutes(fromMs, toMs);
  const [totals, buckets] = await Promise.all([operationTotals(db, from, to), operationBuckets(db, from, to)]);
  return { ops: operationStats(totals, buckets), totals, buckets };
}

/** Every resource found in the metrics (plus the user's mappings), measured minute by minute over the window. */
export async function measureResourcesIn(db: Prisma, services: string[], fromMs: number, toMs: number): Promise<ResourceMeasurement[]> {
  const mappings = await listResourceMappings(db);
  const series = await seriesNamed(db, (name) => isResourceMetric(name, mappings));
  const plans = planResources({ series, services, mappings });
  const keys = [...new Set(plans.flatMap((p) => p.instances.flatMap((i) => [i.usage, ...(i.capacity && "keys" in i.capacity ? [i.capacity] : []),
    ...(p.queue ? [p.queue.arrivals, p.queue.completions, p.queue.workers] : [])]).flatMap(sumKeys)))];
  const [from, to] = minutes(fromMs, toMs);
  return measureResources(plans, await minuteStats(db, keys, from, to), { fromMs, toMs });
}

/** The keys a SeriesSum reads, including those it subtracts or divides by. */
function sumKeys(s: SeriesSum | undefined): number[] {
  return s ? [...s.keys, ...sumKeys(s.minus), ...sumKeys(s.divideBy)] : [];
}

/** Each service's latency (p95), error rate and requests per minute, from the trace rollups. */
async function serviceMinutes(db: Prisma, fromMs: number, toMs: number): Promise<Map<string, ServiceMinutes>> {
  const [from, to] = minutes(fromMs, toMs);
  const [totals, buckets] = await Promise.all([serviceMinuteTotals(db, from, to), serviceMinuteBuckets(db, from, to)]);
  return new Map(serviceSeries(totals, buckets, MINUTE_MS).map((s) => [s.service, {
    latencyMs: s.points.filter((p) => p.p95Ms !== null).map((p) => ({ t: p.t, v: p.p95Ms! })),
    errorRate: s.points.map((p) => ({ t: p.t, v: p.errorRate })),
    requests: s.points.map((p) => ({ t: p.t, v: p.count })),
  }]));
}

/** Each service's load over the window and its error rate in the window before. */
function serviceLoads(current: Awaited<ReturnType<typeof statsBetween>>, before: Awaited<ReturnType<typeof statsBetween>>, windowMs: number): Map<string, ServiceLoad> {
  const previous = new Map(summariseServices(before.totals, before.buckets, windowMs).map((s) => [s.name, s.errorRate]));
  const entrySums = new Map<string, { ms: number; n: number }>();
  for (const t of current.totals) {
    if (t.entry !== 1) continue;
    const s = entrySums.get(t.service) ?? { ms: 0, n: 0 };
    s.ms += t.sumMs;
    s.n += t.count;
    entrySums.set(t.service, s);
  }
  return new Map(summariseServices(current.totals, current.buckets, windowMs).map((s) => {
    const sums = entrySums.get(s.name);
    return [s.name, { requestRatePerS: s.requestRate, meanLatencyMs: sums?.n ? sums.ms / sums.n : null, p95LatencyMs: s.p95Ms, errorRate: s.errorRate,
      ...(previous.has(s.name) ? { errorRateBefore: previous.get(s.name)! } : {}) }];
  }));
}

export interface Bottlenecks {
  findings: (RecommendFinding & { score: number })[];
  resources: ResourceMeasurement[];
  loads: Map<string, ServiceLoad>;
}

/**
 * Everything /bottlenecks ranks: critical-path hotspots, N+1 and sequential calls, latency
 * regressions and error spikes against the window before, operations slow in their own code
 * against the day before, SLOs burning their budget, and saturated resources. Score = user time lost (ms).
 */
export async function findBottlenecks(db: Prisma, w: TimeWindow, nowMs: number): Promise<Bottlenecks> {
  const length = w.to - w.from;
  // Whole minutes: the baseline ends where the window's first minute starts, so none is counted twice.
  const windowStart = Math.floor(w.from / MINUTE_MS) * MINUTE_MS;
  const baseline = { from: windowStart - length, to: windowStart - 1 };
  // slow_operation compares with the operation's own history: the day before the window.
  const history = { from: windowStart - DAY_MS, to: windowStart - 1 };
  const [current, before, day, burns, minutesByService] = await Promise.all([
    statsBetween(db, w.from, w.to), statsBetween(db, baseline.from, baseline.to), statsBetween(db, history.from, history.to),
    sloBurns(db, w.from, w.to, nowMs), serviceMinutes(db, w.from, w.to),
  ]);
  const custom = w.window === "custom";
  const label = custom ? `${Math.round(length / MINUTE_MS)} min` : w.window;
  const searchWindow = custom ? "24h" : w.window;
  const resources = await measureResourcesIn(db, [...new Set([...current.ops.values()].map((o) => o.service))], w.from, w.to);
  const findings = [
    ...criticalPathHotspots(current.ops, { from: w.from, to: w.to, searchWindow }),
    ...patternFindings(current.ops, { from: w.from, to: w.to, searchWindow }),
    ...compareWindows(current.ops, before.ops, { current: { from: w.from, to: w.to }, baseline, label, searchWindow }),
    ...slowOperations(current.ops, day.ops, { current: { from: w.from, to: w.to }, history, searchWindow }),
    ...errorBudgetFindings(burns, { searchWindow }),
    ...saturationFindings({ resources, services: minutesByService, window: { from: w.from, to: w.to, searchWindow } }),
  ].sort((a, b) => b.score - a.score);
  return { findings, resources, loads: serviceLoads(current, before, length) };
}
