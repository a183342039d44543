import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/prng";
import { bucketIndex } from "./histogram";
import { operationStats } from "./operation-stats";
import { compareWindows, twoProportionZ } from "./regressions";

const W = { current: { from: 3_600_000, to: 7_200_000 }, baseline: { from: 0, to: 3_599_999 }, label: "1h", searchWindow: "1h" };

/** Rollup rows for one operation from explicit request durations and failures. */
function rollupOf(durations: number[], errors: number, operation = "GET /cart", service = "checkout") {
  const buckets = new Map<number, number>();
  for (const d of durations) buckets.set(bucketIndex(d), (buckets.get(bucketIndex(d)) ?? 0) + 1);
  return operationStats(
    [{ service, operation, kind: 2, count: durations.length, errors, sumMs: durations.reduce((a, b) => a + b, 0) }],
    [...buckets].map(([bucket, count]) => ({ service, operation, kind: 2, bucket, count })),
  );
}

const around = (ms: number, n: number, seed: number) => {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => ms * (0.7 + 0.6 * r()));
};

describe("compareWindows", () => {
  it("reports a significant slowdown with its cost, test and trace link", () => {
    const [f] = compareWindows(rollupOf(around(200, 400, 1), 0), rollupOf(around(20, 400, 2), 0), W);
    expect(f).toMatchObject({ kind: "latency_regression", service: "checkout", operation: "GET /cart", spanKind: "server" });
    expect(f.evidence.current.count).toBe(400);
    expect(f.evidence.current.p95Ms! / f.evidence.baseline.p95Ms!).toBeGreaterThan(8);
    // Extra time per request (~180 ms) over 400 requests.
    expect(f.score).toBeGreaterThan(400 * 160);
    expect(f.score).toBeLessThan(400 * 200);
    expect(f.summary).toMatch(/GET \/cart in checkout got slower: p95 \d+ ms vs \d+(\.\d)? ms the 1h before/);
    expect(f.evidence.test).toMatch(/400 of 400 requests above the baseline p95/);
    expect(f.evidence.traceSearch).toBe(`/traces?service=checkout&operation=GET+%2Fcart&window=1h&minDurationMs=${Math.round(f.evidence.baseline.p95Ms!)}`);
  });

  it("stays quiet for the same distribution, a small sample, or a slight change", () => {
    expect(compareWindows(rollupOf(around(20, 5000, 3), 0), rollupOf(around(20, 5000, 4), 0), W)).toEqual([]);
    expect(compareWindows(rollupOf(around(200, 30, 5), 0), rollupOf(around(20, 30, 6), 0), W)).toEqual([]);
    expect(compareWindows(rollupOf(around(22, 5000, 7), 0), rollupOf(around(20, 5000, 8), 0), W)).toEqual([]);
  });

  it("reports an error spike, not a steady error rate", () => {
    const [f] = compareWindows(rollupOf(around(20, 400, 9), 160), rollupOf(around(20, 400, 10), 2), W);
    expect(f).toMatchObject({ kind: "error_spike" });
    expect(f.evidence.current.errorRate).toBeCloseTo(0.4, 10);
    expect(f.score).toBeCloseTo((160 - 2) * 1000, 6); // excess failures × a second each (requests are faster than that)
    expect(f.summary).toBe("GET /cart in checkout fails more: 40 % errors vs 0.5 % the 1h before, 158 more failed requests");
    expect(f.evidence.traceSearch).toBe("/traces?service=checkout&operation=GET+%2Fcart&window=1h&errorsOnly=true");
    expect(compareWindows(rollupOf(around(20, 400, 9), 8), rollupOf(around(20, 400, 10), 6), W)).toEqual([]);
  });

  it("ranks by the user time lost", () => {
    const current = new Map([...rollupOf(around(50, 2000, 11), 0, "GET /a"), ...rollupOf(around(400, 300, 12), 0, "GET /b")]);
    const before = new Map([...rollupOf(around(20, 2000, 13), 0, "GET /a"), ...rollupOf(around(20, 300, 14), 0, "GET /b")]);
    expect(compareWindows(current, before, W).map((f) => f.operation)).toEqual(["GET /b", "GET /a"]);
  });
});

describe("twoProportionZ", () => {
  it("matches a worked example", () => {
    // 60/100 vs 40/100: pooled p = 0.5, se = sqrt(0.25 · 0.02) ≈ 0.0707, z ≈ 2.83.
    expect(twoProportionZ(60, 100, 40, 100)).toBeCloseTo(2.828, 3);
    expect(twoProportionZ(0, 10, 0, 10)).toBe(0);
  });
});
