import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/prng";
import { bucketIndex } from "./histogram";
import { operationStats } from "./operation-stats";
import { slowOperations } from "./slow-operations";

const W = { current: { from: 86_400_000, to: 90_000_000 }, history: { from: 0, to: 86_399_999 }, searchWindow: "1h" };

/** One operation's rollups: `n` requests around `ms`, of which `selfShare` is self time. */
function op(ms: number, n: number, selfShare: number, seed: number) {
  const r = mulberry32(seed);
  const durations = Array.from({ length: n }, () => ms * (0.8 + 0.4 * r()));
  const sumMs = durations.reduce((a, b) => a + b, 0);
  const buckets = new Map<number, number>();
  for (const d of durations) buckets.set(bucketIndex(d), (buckets.get(bucketIndex(d)) ?? 0) + 1);
  return operationStats([{ service: "reports", operation: "GET /report", kind: 2, count: n, errors: 0, sumMs, selfMs: sumMs * selfShare }],
    [...buckets].map(([bucket, count]) => ({ service: "reports", operation: "GET /report", kind: 2, bucket, count })));
}

describe("slowOperations", () => {
  it("reports an operation far slower than its own day, spending its time in its own code", () => {
    const [f] = slowOperations(op(300, 500, 0.9, 1), op(100, 5000, 0.9, 2), W);
    expect(f).toMatchObject({ kind: "slow_operation", service: "reports", operation: "GET /report", spanKind: "server" });
    expect(f.evidence.selfShare).toBeCloseTo(0.9, 9);
    expect(f.summary).toMatch(/^GET \/report in reports is slow in its own code: p99 3\d\d ms vs 1\d\d ms over the day before, and 90 % of its time is self time$/);
    expect(f.score).toBeGreaterThan(500 * 180);
  });

  it("leaves out one that waits on others (low self time), a mild slowdown, and a small sample", () => {
    expect(slowOperations(op(300, 500, 0.2, 3), op(100, 5000, 0.2, 4), W)).toEqual([]);
    expect(slowOperations(op(110, 500, 0.9, 5), op(100, 5000, 0.9, 6), W)).toEqual([]);
    expect(slowOperations(op(300, 50, 0.9, 7), op(100, 5000, 0.9, 8), W)).toEqual([]);
  });
});
