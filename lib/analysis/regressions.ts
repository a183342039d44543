import { durationText } from "./duration-text";
import { type Histogram, bucketIndex, quantile } from "./histogram";
import type { OpStats } from "./operation-stats";
import { spanKindName } from "./span-kind";

/**
 * Findings that compare each operation in a window with the window of the same length before
 * it: `latency_regression` and `error_spike`. Each must pass a two-proportion z-test, so a
 * handful of slow or failed requests on a quiet operation is not reported.
 */
export interface WindowStats {
  from: number; to: number; count: number; errors: number; errorRate: number;
  p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; meanMs: number | null;
}

export interface ComparisonFinding {
  id: string;
  kind: "latency_regression" | "error_spike";
  service: string; operation: string; spanKind: string;
  /** Estimated user time lost in the window, ms: the ranking. */
  score: number;
  summary: string;
  evidence: { current: WindowStats; baseline: WindowStats; test: string; traceSearch: string };
}

/** Z at or above this is significant: about 1 in 30,000 by chance for each operation tested. */
const Z_SIGNIFICANT = 4;
const MIN_REQUESTS = 50;
const MIN_SLOWDOWN = 1.2;
/** A failed request costs its user at least this much time (a retry, a reload). */
const FAILED_REQUEST_COST_MS = 1000;

export function windowStats(s: OpStats | undefined, from: number, to: number): WindowStats {
  const count = s?.count ?? 0;
  const h = s?.histogram ?? new Map();
  return {
    from, to, count, errors: s?.errors ?? 0, errorRate: count ? (s!.errors / count) : 0,
    p50Ms: quantile(h, 0.5), p95Ms: quantile(h, 0.95), p99Ms: quantile(h, 0.99), meanMs: count ? s!.sumMs / count : null,
  };
}

/** Two-proportion z statistic for k1/n1 against k0/n0 (pooled variance). */
export function twoProportionZ(k1: number, n1: number, k0: number, n0: number): number {
  const p = (k1 + k0) / (n1 + n0);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0));
  return se === 0 ? 0 : (k1 / n1 - k0 / n0) / se;
}

function countAbove(h: Histogram, bucket: number): number {
  let n = 0;
  for (const [b, c] of h) if (b > bucket) n += c;
  return n;
}

export const pct = (x: number) => (x === 0 ? "0 %" : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`);
export const int = (n: number) => Math.round(n).toLocaleString("en");

export interface Windows {
  current: { from: number; to: number };
  baseline: { from: number; to: number };
  /** The window in words ("1h"), and the `window` of the trace search links. */
  label: string;
  searchWindow: string;
}

export function compareWindows(current: Map<string, OpStats>, baseline: Map<string, OpStats>, w: Windows): ComparisonFinding[] {
  const findings: ComparisonFinding[] = [];
  for (const [key, now] of current) {
    const before = baseline.get(key);
    if (!before || now.count < MIN_REQUESTS || before.count < MIN_REQUESTS) continue;
    const cur = windowStats(now, w.current.from, w.current.to);
    const base = windowStats(before, w.baseline.from, w.baseline.to);
    const search = new URLSearchParams({ service: now.service, operation: now.operation, window: w.searchWindow });
    const common = { service: now.service, operation: now.operation, spanKind: spanKindName(now.kind) };

    // Latency: are more requests now slower than the baseline's p95 than were before?
    const b95 = base.p95Ms!;
    const bucket = bucketIndex(b95);
    const slowNow = countAbove(now.histogram, bucket);
    const slowBefore = countAbove(before.histogram, bucket);
    const zLatency = twoProportionZ(slowNow, now.count, slowBefore, before.count);
    if (zLatency >= Z_SIGNIFICANT && cur.p95Ms! >= b95 * MIN_SLOWDOWN && cur.meanMs! > base.meanMs!) {
      search.set("minDurationMs", String(Math.round(b95)));
      findings.push({
        id: `latency_regression:${key.replaceAll("\u0000", ":")}`, kind: "latency_regression", ...common,
        score: (cur.meanMs! - base.meanMs!) * now.count,
        summary: `${now.operation} in ${now.service} got slower: p95 ${durationText(cur.p95Ms!)} vs ${durationText(b95)} the ${w.label} before ` +
          `(${(cur.p95Ms! / b95).toFixed(1)}×), over ${int(now.count)} requests`,
        evidence: { current: cur, baseline: base, traceSearch: `/traces?${search}`,
          test: `${int(slowNow)} of ${int(now.count)} requests above the baseline p95 of ${durationText(b95)} (${pct(slowNow / now.count)}, ` +
            `before ${pct(slowBefore / before.count)}): z = ${zLatency.toFixed(1)}` },
      });
      search.delete("minDurationMs");
    }

    // Errors: is the error rate well above the baseline's?
    const zErrors = twoProportionZ(now.errors, now.count, before.errors, before.count);
    const excess = now.errors - base.errorRate * now.count;
    if (zErrors >= Z_SIGNIFICANT && cur.errorRate >= 2 * base.errorRate && cur.errorRate - base.errorRate >= 0.01 && now.errors >= 5) {
      search.set("errorsOnly", "true");
      findings.push({
        id: `error_spike:${key.replaceAll("\u0000", ":")}`, kind: "error_spike", ...common,
        score: excess * Math.max(cur.meanMs ?? 0, FAILED_REQUEST_COST_MS),
        summary: `${now.operation} in ${now.service} fails more: ${pct(cur.errorRate)} errors vs ${pct(base.errorRate)} the ${w.label} before, ` +
          `${int(excess)} more failed requests`,
        evidence: { current: cur, baseline: base, traceSearch: `/traces?${search}`,
          test: `${int(now.errors)} errors in ${int(now.count)} requests against ${int(before.errors)} in ${int(before.count)}: z = ${zErrors.toFixed(1)}` },
      });
    }
  }
  return findings.sort((a, b) => b.score - a.score);
}
