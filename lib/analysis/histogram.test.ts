import { describe, expect, it } from "vitest";
import { RELATIVE_ERROR, addToHistogram, bucketIndex, bucketValue, histogramCount, mergeHistograms, quantile, type Histogram } from "./histogram";
import { mulberry32 } from "../testing/prng";

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

function histogramOf(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) addToHistogram(h, bucketIndex(v));
  return h;
}

describe("histogram", () => {
  it("reports every bucket within the stated relative error of the values it holds", () => {
    for (const v of [1e-5, 0.0013, 0.5, 1, 1.02, 7.3, 99.99, 250, 1234.5, 86_400_000]) {
      const reported = bucketValue(bucketIndex(v));
      expect(Math.abs(reported - v) / v).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-12);
    }
  });

  it("puts zero and sub-nanosecond durations in the lowest bucket", () => {
    expect(bucketIndex(0)).toBe(bucketIndex(1e-6));
    expect(bucketIndex(-3)).toBe(bucketIndex(1e-6));
  });

  it.each([
    ["log-normal latencies", (r: () => number) => Math.exp(3 + 1.5 * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r()))],
    ["uniform 0-1000 ms", (r: () => number) => r() * 1000],
    ["bimodal cache hit/miss", (r: () => number) => (r() < 0.9 ? 0.2 + r() * 0.3 : 80 + r() * 400)],
    ["heavy tail (pareto)", (r: () => number) => 5 / Math.pow(r() || 1e-12, 1 / 1.2)],
  ])("quantiles of %s are within 2%% of exact", (_name, draw) => {
    const rnd = mulberry32(42);
    for (const n of [1, 2, 17, 1000, 50_000]) {
      const values = Array.from({ length: n }, () => draw(rnd));
      const sorted = [...values].sort((a, b) => a - b);
      const h = histogramOf(values);
      for (const q of [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
        const exact = exactQuantile(sorted, q);
        const estimate = quantile(h, q)!;
        expect(Math.abs(estimate - exact) / exact, `n=${n} q=${q}`).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-9);
      }
    }
  });

  it("merges by addition: merged parts equal the histogram of the whole", () => {
    const rnd = mulberry32(7);
    const values = Array.from({ length: 10_000 }, () => rnd() * 300);
    const parts = [values.slice(0, 1234), values.slice(1234, 7000), values.slice(7000)].map(histogramOf);
    const merged = parts.reduce((acc, h) => mergeHistograms(acc, h), new Map());
    expect(merged).toEqual(histogramOf(values));
    expect(histogramCount(merged)).toBe(10_000);
    expect(quantile(merged, 0.99)).toBe(quantile(histogramOf(values), 0.99));
  });

  it("has no quantile when empty", () => {
    expect(quantile(new Map(), 0.5)).toBeNull();
  });
});
