/**
 * Correlation and trend of time series: "does p95 latency move with the queue length", "is the
 * queue growing". Points are `{ t, v }` with t in epoch milliseconds, as the metrics store holds them.
 */

export interface Point {
  /** Epoch ms. */
  t: number;
  v: number;
}

export interface AlignedCorrelation {
  /** Pearson r over the paired points; null as for `pearson`. */
  r: number | null;
  /** The number of pairs used. */
  n: number;
}

/** Fewer pairs than this say nothing: any two points lie on a line. */
const MIN_PAIRS = 3;

/**
 * Pearson's r. Pairs where either value is not finite (Prometheus NaN, a gap) are skipped. Null
 * with fewer than 3 usable pairs or when either side is constant (r is undefined: 0/0).
 * Computed around the means (two passes), which keeps large offsets such as epoch timestamps
 * from cancelling away the variance.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError(`pearson needs equal lengths, got ${xs.length} and ${ys.length}`);
  const px: number[] = [];
  const py: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) {
      px.push(xs[i]);
      py.push(ys[i]);
    }
  }
  const n = px.length;
  if (n < MIN_PAIRS) return null;
  const mx = px.reduce((s, x) => s + x, 0) / n;
  const my = py.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = px[i] - mx;
    const dy = py[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding can push |r| a hair past 1 for perfectly linear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Pearson's r of two series over the timestamps they share; points at other times are dropped,
 * as are non-finite values. If a series repeats a timestamp, its last point there counts.
 */
export function alignedPearson(a: readonly Point[], b: readonly Point[]): AlignedCorrelation {
  const byT = new Map<number, number>();
  for (const p of b) byT.set(p.t, p.v);
  const seen = new Map<number, number>();
  for (const p of a) if (byT.has(p.t)) seen.set(p.t, p.v);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [t, v] of seen) {
    const w = byT.get(t)!;
    if (Number.isFinite(v) && Number.isFinite(w)) {
      xs.push(v);
      ys.push(w);
    }
  }
  return { r: pearson(xs, ys), n: xs.length };
}

/**
 * Least-squares slope of v against t, per second: how fast a queue grows (> 0) or drains (< 0).
 * Null with fewer than 2 usable points or when they all share one timestamp. Time is centred
 * before squaring: epoch ms squared (~10^24) would lose every digit that matters.
 */
export function linearSlope(points: readonly Point[]): number | null {
  const ps = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v));
  const n = ps.length;
  if (n < 2) return null;
  const mt = ps.reduce((s, p) => s + p.t, 0) / n;
  const mv = ps.reduce((s, p) => s + p.v, 0) / n;
  let stv = 0;
  let stt = 0;
  for (const p of ps) {
    const dt = p.t - mt;
    stv += dt * (p.v - mv);
    stt += dt * dt;
  }
  if (stt === 0) return null;
  return (stv / stt) * 1000;
}
