import { type Histogram, addToHistogram } from "./histogram";

/** Sums added by trace completion; absent in callers that only need the ingest counts. */
const TRACE_SUMS = ["criticalMs", "selfMs", "traceMs", "nPlusOneTraces", "nPlusOneCalls", "nPlusOneMs", "sequentialTraces", "sequentialSavingMs"] as const;
type TraceSums = Record<(typeof TRACE_SUMS)[number], number>;

interface TotalsIn extends Partial<TraceSums> { service: string; operation: string; kind: number; count: number; errors: number; sumMs: number }
interface BucketIn { service: string; operation: string; kind: number; bucket: number; count: number }

/** One operation's rollups over a window, merged across minutes and entry flags. */
export interface OpStats extends TraceSums {
  service: string; operation: string; kind: number;
  count: number; errors: number; sumMs: number; histogram: Histogram;
}

export const operationKey = (r: { service: string; operation: string; kind: number }) => `${r.service}\u0000${r.operation}\u0000${r.kind}`;

/** Per (service, operation, kind), merging entry and non-entry rollups. */
export function operationStats(totals: TotalsIn[], buckets: BucketIn[]): Map<string, OpStats> {
  const ops = new Map<string, OpStats>();
  const op = (r: TotalsIn | BucketIn) => {
    let s = ops.get(operationKey(r));
    if (!s) {
      s = { service: r.service, operation: r.operation, kind: r.kind, count: 0, errors: 0, sumMs: 0, histogram: new Map(),
        ...(Object.fromEntries(TRACE_SUMS.map((f) => [f, 0])) as TraceSums) };
      ops.set(operationKey(r), s);
    }
    return s;
  };
  for (const t of totals) {
    const s = op(t);
    s.count += t.count;
    s.errors += t.errors;
    s.sumMs += t.sumMs;
    for (const f of TRACE_SUMS) s[f] += t[f] ?? 0;
  }
  for (const b of buckets) addToHistogram(op(b).histogram, b.bucket, b.count);
  return ops;
}
