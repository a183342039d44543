/**
 * Fixed log-scale duration histograms (the DDSketch bucket mapping).
 *
 * Bucket i holds durations in (γ^(i-1), γ^i] ms with γ = (1+α)/(1−α); reporting a bucket as
 * 2γ^i/(γ+1) is within α of every value in it. The mapping is fixed, so histograms from any
 * minute or replica merge by adding counts per bucket index.
 */
export const RELATIVE_ERROR = 0.02;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations at or below one nanosecond (including zero) share the lowest bucket. */
const MIN_MS = 1e-6;

/** Sparse histogram: bucket index → count. */
export type Histogram = Map<number, number>;

export function bucketIndex(durationMs: number): number {
  return Math.ceil(Math.log(durationMs > MIN_MS ? durationMs : MIN_MS) / LOG_GAMMA);
}

/** The value reported for a bucket: within RELATIVE_ERROR of anything the bucket holds. */
export function bucketValue(index: number): number {
  return (2 * Math.pow(GAMMA, index)) / (GAMMA + 1);
}

export function addToHistogram(h: Histogram, index: number, count = 1): void {
  h.set(index, (h.get(index) ?? 0) + count);
}

export function mergeHistograms(into: Histogram, from: Histogram): Histogram {
  for (const [i, c] of from) addToHistogram(into, i, c);
  return into;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) as the value of rank ⌊q·(n−1)⌋ (0-based) in sorted order,
 * within RELATIVE_ERROR of the exact value of that rank. Null for an empty histogram.
 */
export function quantile(h: Histogram, q: number): number | null {
  const n = histogramCount(h);
  if (n === 0) return null;
  const rank = Math.floor(q * (n - 1));
  const indexes = [...h.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const i of indexes) {
    seen += h.get(i)!;
    if (seen > rank) return bucketValue(i);
  }
  return bucketValue(indexes[indexes.length - 1]);
}
