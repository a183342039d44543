import { type Histogram, addToHistogram } from "./histogram";

interface TotalsIn { service: string; operation: string; kind: number; count: number; errors: number; sumMs: number; criticalMs?: number; selfMs?: number; traceMs?: number }
interface BucketIn { service: string; operation: string; kind: number; bucket: number; count: number }

/** One operation's rollups over a window, merged across minutes and entry flags. */
export interface OpStats {
  service: string; operation: string; kind: number;
  count: number; errors: number; sumMs: number; criticalMs: number; selfMs: number; traceMs: number; histogram: Histogram;
}

export const operationKey = (r: { service: string; operation: string; kind: number }) => `${r.service}\u0000${r.operation}\u0000${r.kind}`;

/** Per (service, operation, kind), merging entry and non-entry rollups. */
export function operationStats(totals: TotalsIn[], buckets: BucketIn[]): Map<string, OpStats> {
  const ops = new Map<string, OpStats>();
  const op = (r: TotalsIn | BucketIn) => {
    let s = ops.get(operationKey(r));
    if (!s) {
      s = { service: r.service, operation: r.operation, kind: r.kind, count: 0, errors: 0, sumMs: 0, criticalMs: 0, selfMs: 0, traceMs: 0, histogram: new Map() };
      ops.set(operationKey(r), s);
    }
    return s;
  };
  for (const t of totals) {
    const s = op(t);
    s.count += t.count;
    s.errors += t.errors;
    s.sumMs += t.sumMs;
    s.criticalMs += t.criticalMs ?? 0;
    s.selfMs += t.selfMs ?? 0;
    s.traceMs += t.traceMs ?? 0;
  }
  for (const b of buckets) addToHistogram(op(b).histogram, b.bucket, b.count);
  return ops;
}
