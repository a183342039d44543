import { type Histogram, addToHistogram, quantile } from "./histogram";
import { spanKindName } from "./span-kind";

/** Request rate, error rate and latency percentiles of one group of spans over a window. */
export interface LatencyStats {
  count: number;
  errors: number;
  requestRate: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}
export interface OperationSummary extends LatencyStats {
  name: string;
  kind: string;
  /** Time on the critical path of completed traces, summed over the window. */
  criticalPathMs: number;
  /** criticalPathMs over the end-to-end time of the traces it was part of: the share of its requests' latency it owns. */
  criticalPathShare: number;
  /** Exclusive time (not covered by children) of completed traces, summed over the window. */
  selfMs: number;
}
export interface ServiceSummary extends LatencyStats { name: string; operations: OperationSummary[] }

interface Counted { service: string; entry: number; count: number; errors?: number }
interface OpTotals extends Counted { operation: string; kind: number; errors: number; criticalMs: number; selfMs: number; traceMs: number }
interface OpBucket extends Counted { operation: string; kind: number; bucket: number }

class Accumulator {
  count = 0;
  errors = 0;
  histogram: Histogram = new Map();
  stats(windowMs: number): LatencyStats {
    return {
      count: this.count, errors: this.errors,
      requestRate: this.count / (windowMs / 1000), errorRate: this.count ? this.errors / this.count : 0,
      p50Ms: quantile(this.histogram, 0.5), p95Ms: quantile(this.histogram, 0.95), p99Ms: quantile(this.histogram, 0.99),
    };
  }
}

function getOrAdd<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

/**
 * A service is described by its entry spans (server, consumer, roots): that is what its callers
 * see. A service with none in the window (a batch job, a pure client) is described by all its spans.
 */
function servicesWithEntrySpans(rows: Counted[]): Set<string> {
  return new Set(rows.filter((r) => r.entry === 1 && r.count > 0).map((r) => r.service));
}

const describesService = (withEntry: Set<string>, r: Counted) => r.entry === 1 || !withEntry.has(r.service);

export function summariseServices(totals: OpTotals[], buckets: OpBucket[], windowMs: number): ServiceSummary[] {
  const withEntry = servicesWithEntrySpans(totals);
  const services = new Map<string, { acc: Accumulator; ops: Map<string, Accumulator & { name: string; kind: number; criticalMs: number; selfMs: number; traceMs: number }> }>();
  const service = (name: string) => getOrAdd(services, name, () => ({ acc: new Accumulator(), ops: new Map() }));
  const op = (r: OpTotals | OpBucket) =>
    getOrAdd(service(r.service).ops, `${r.operation}\u0000${r.kind}`,
      () => Object.assign(new Accumulator(), { name: r.operation, kind: r.kind, criticalMs: 0, selfMs: 0, traceMs: 0 }));
  for (const r of totals) {
    const o = op(r);
    o.count += r.count;
    o.errors += r.errors;
    o.criticalMs += r.criticalMs;
    o.selfMs += r.selfMs;
    o.traceMs += r.traceMs;
    if (describesService(withEntry, r)) {
      const s = service(r.service).acc;
      s.count += r.count;
      s.errors += r.errors;
    }
  }
  for (const r of buckets) {
    addToHistogram(op(r).histogram, r.bucket, r.count);
    if (describesService(withEntry, r)) addToHistogram(service(r.service).acc.histogram, r.bucket, r.count);
  }
  return [...services.entries()]
    .map(([name, s]) => ({
      name,
      ...s.acc.stats(windowMs),
      operations: [...s.ops.values()]
        .map((o) => ({ name: o.name, kind: spanKindName(o.kind), ...o.stats(windowMs), criticalPathMs: o.criticalMs,
          criticalPathShare: o.traceMs ? o.criticalMs / o.traceMs : 0, selfMs: o.selfMs }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface SeriesPoint extends LatencyStats { t: number }
export interface ServiceSeries { service: string; points: SeriesPoint[] }

interface MinuteTotals extends Counted { minute: number; errors: number }
interface MinuteBucket extends Counted { minute: number; bucket: number }

/** Per service, one point per `stepMs` bin that had traffic, from minute rollups. */
export function serviceSeries(totals: MinuteTotals[], buckets: MinuteBucket[], stepMs: number): ServiceSeries[] {
  const withEntry = servicesWithEntrySpans(totals);
  const bins = new Map<string, Map<number, Accumulator>>();
  const bin = (r: { service: string; minute: number }) =>
    getOrAdd(getOrAdd(bins, r.service, () => new Map()), Math.floor((r.minute * 60_000) / stepMs) * stepMs, () => new Accumulator());
  for (const r of totals) {
    if (!describesService(withEntry, r)) continue;
    const b = bin(r);
    b.count += r.count;
    b.errors += r.errors;
  }
  for (const r of buckets) if (describesService(withEntry, r)) addToHistogram(bin(r).histogram, r.bucket, r.count);
  return [...bins.entries()]
    .map(([service, m]) => ({
      service,
      points: [...m.entries()].filter(([, a]) => a.count > 0).sort((a, b) => a[0] - b[0]).map(([t, a]) => ({ t, ...a.stats(stepMs) })),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}
