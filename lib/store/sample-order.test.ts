import { describe, expect, it } from "vitest";
import type { SampleBatch } from "../ingest/sample-batch";
import { inStoreOrder } from "./sample-order";
import { minuteOf } from "./span-keys";

const batch = (keys: number[], ts: number[], values: number[]): SampleBatch => ({ series: [], keys: Float64Array.from(keys), ts: Float64Array.from(ts), values: Float64Array.from(values) });
const T = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

describe("inStoreOrder", () => {
  it("orders by minute, then by series key, keeping each series' samples in arrival order", () => {
    const [a, b, c] = [2 ** 51 + 5, 2 ** 40, 2 ** 50 * 3];
    const out = inStoreOrder([
      batch([a, b, c], [T + 1000, T + 1000, T + 1000], [1, 2, 3]),
      batch([c, a, b], [T + 61_000, T + 2000, T + 2000], [4, 5, 6]),
      batch([b], [T - 5000], [7]),
    ]);
    const rows = Array.from(out.keys, (k, i) => [minuteOf(out.ts[i]), k, out.ts[i], out.values[i]]);
    expect(rows).toEqual([
      [minuteOf(T - 5000), b, T - 5000, 7],
      [minuteOf(T), b, T + 1000, 2], [minuteOf(T), b, T + 2000, 6],
      [minuteOf(T), a, T + 1000, 1], [minuteOf(T), a, T + 2000, 5],
      [minuteOf(T), c, T + 1000, 3],
      [minuteOf(T) + 1, c, T + 61_000, 4],
    ]);
  });

  it("keeps every sample of many random series, ordered by key to within the few that share a bucket", () => {
    const n = 20_000;
    const keys = Array.from({ length: n }, () => Math.floor(Math.random() * 2 ** 52));
    const out = inStoreOrder([batch(keys, keys.map(() => T), keys.map((_, i) => i))]);
    expect([...out.values].sort((x, y) => x - y)).toEqual(keys.map((_, i) => i));
    for (let i = 0; i < n; i++) expect(out.keys[i]).toBe(keys[out.values[i]]);
    let inversions = 0;
    for (let i = 1; i < n; i++) if (out.keys[i] < out.keys[i - 1]) inversions++;
    expect(inversions / n).toBeLessThan(0.2); // within a bucket of 2^36 keys, order is arrival order
    for (let i = 1; i < n; i++) expect(Math.floor(out.keys[i] / 2 ** 36)).toBeGreaterThanOrEqual(Math.floor(out.keys[i - 1] / 2 ** 36));
  });
});
