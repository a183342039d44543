import { describe, expect, it } from "vitest";
import { alignedPearson, linearSlope, pearson } from "./correlation";

const T0 = 1_764_000_000_000; // an epoch ms in November 2025

describe("pearson", () => {
  it("is ±1 for exact lines", () => {
    expect(pearson([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBe(-1);
  });

  it("matches hand-computed values", () => {
    // x = 1..5, y = 2,4,5,4,5: Sxy = 6, Sxx = 10, Syy = 6 → r = 6/√60.
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
    // Anscombe's quartet, set I: r = 0.81642.
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
    expect(pearson(x, y)).toBeCloseTo(0.81642, 5);
    // Symmetric around a parabola's vertex: no linear relation.
    expect(pearson([-2, -1, 0, 1, 2], [4, 1, 0, 1, 4])).toBeCloseTo(0, 12);
  });

  it("survives large offsets", () => {
    const xs = [0, 1, 2, 3, 4].map((i) => T0 + i * 1000);
    expect(pearson(xs, [1e9 + 1, 1e9 + 3, 1e9 + 2, 1e9 + 5, 1e9 + 4])).toBeCloseTo(0.8, 12);
  });

  it("is null with fewer than 3 pairs or a constant side", () => {
    expect(pearson([1, 2], [3, 4])).toBeNull();
    expect(pearson([], [])).toBeNull();
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(pearson([7, 7, 7], [1, 2, 3])).toBeNull();
  });

  it("skips non-finite pairs and counts only the rest", () => {
    expect(pearson([1, 2, NaN, 3], [2, 4, 100, 6])).toBe(1);
    expect(pearson([1, 2, NaN], [2, 4, 6])).toBeNull();
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe("alignedPearson", () => {
  it("pairs points by equal timestamps, in any order, dropping the unmatched", () => {
    const a = [{ t: T0, v: 1 }, { t: T0 + 15_000, v: 2 }, { t: T0 + 30_000, v: 3 }, { t: T0 + 45_000, v: 4 }, { t: T0 + 99, v: 100 }];
    const b = [{ t: T0 + 45_000, v: 40 }, { t: T0 + 30_000, v: 30 }, { t: T0, v: 10 }, { t: T0 + 15_000, v: 20 }, { t: T0 + 60_000, v: -5 }];
    expect(alignedPearson(a, b)).toEqual({ r: 1, n: 4 });
  });

  it("gives the hand-computed r and the number of pairs", () => {
    const a = [1, 2, 3, 4, 5].map((v, i) => ({ t: T0 + i * 60_000, v }));
    const b = [2, 4, 5, 4, 5].map((v, i) => ({ t: T0 + i * 60_000, v }));
    const got = alignedPearson(a, b);
    expect(got.n).toBe(5);
    expect(got.r).toBeCloseTo(6 / Math.sqrt(60), 12);
  });

  it("is null when too few timestamps are shared", () => {
    const a = [{ t: 1, v: 1 }, { t: 2, v: 2 }, { t: 3, v: 3 }];
    const b = [{ t: 2, v: 1 }, { t: 3, v: 5 }, { t: 4, v: 9 }];
    expect(alignedPearson(a, b)).toEqual({ r: null, n: 2 });
  });

  it("counts a repeated timestamp once, with its last value", () => {
    const a = [{ t: 1, v: 1 }, { t: 2, v: 2 }, { t: 3, v: 999 }, { t: 3, v: 3 }];
    const b = [{ t: 1, v: 1 }, { t: 2, v: 2 }, { t: 3, v: 3 }];
    expect(alignedPearson(a, b)).toEqual({ r: 1, n: 3 });
  });
});

describe("linearSlope", () => {
  it("gives the slope per second of an exact line on epoch-ms timestamps", () => {
    // A queue growing by 3 items every 15 s: 0.2 per second.
    const pts = Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * 15_000, v: 500 + 3 * i }));
    expect(linearSlope(pts)).toBeCloseTo(0.2, 9);
    expect(linearSlope(pts.map((p) => ({ t: p.t, v: -p.v })))).toBeCloseTo(-0.2, 9);
  });

  it("matches the hand-computed least-squares fit", () => {
    // t = 0..4 s, v = 2,4,5,4,5: slope = Stv / Stt = 6 / 10 per second.
    const pts = [2, 4, 5, 4, 5].map((v, i) => ({ t: T0 + i * 1000, v }));
    expect(linearSlope(pts)).toBeCloseTo(0.6, 9);
    expect(linearSlope([{ t: 0, v: 5 }, { t: 60_000, v: 5 }])).toBe(0);
  });

  it("is null with fewer than two points or a single timestamp", () => {
    expect(linearSlope([])).toBeNull();
    expect(linearSlope([{ t: T0, v: 1 }])).toBeNull();
    expect(linearSlope([{ t: T0, v: 1 }, { t: T0, v: 9 }])).toBeNull();
    expect(linearSlope([{ t: T0, v: 1 }, { t: T0 + 1000, v: NaN }])).toBeNull();
  });
});
