import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/prng";
import { concurrencyLimit, hpaDesiredReplicas, interpolatedQuantile, queueWorkers, verticalSize } from "./scaling";

const MIB = 1024 * 1024;
const hpa = (currentReplicas: number, current: number | undefined, target: number, min = 1, max = 10, tolerance?: number) =>
  hpaDesiredReplicas({ currentReplicas, currentUtilization: current, targetUtilization: target, minReplicas: min, maxReplicas: max, tolerance });

describe("hpaDesiredReplicas", () => {
  it("reproduces the Kubernetes documentation examples", () => {
    // currentMetricValue 200m, desiredMetricValue 100m: double the replicas.
    expect(hpa(1, 200, 100)).toEqual({ desired: 2, ratio: 2, withinTolerance: false });
    // 50m against 100m with 2 replicas: halve them.
    expect(hpa(2, 50, 100)).toEqual({ desired: 1, ratio: 0.5, withinTolerance: false });
  });

  it("keeps the count within the tolerance, inclusive, and scales just outside it", () => {
    expect(hpa(10, 0.77, 0.7)).toMatchObject({ desired: 10, withinTolerance: true }); // ratio 1.1
    expect(hpa(10, 77, 70)).toMatchObject({ desired: 10, withinTolerance: true });
    expect(hpa(10, 0.63, 0.7)).toMatchObject({ desired: 10, withinTolerance: true }); // ratio 0.9
    expect(hpa(10, 0.777, 0.7, 1, 20)).toMatchObject({ desired: 12, withinTolerance: false }); // ratio 1.11: ceil(11.1)
    expect(hpa(10, 0.623, 0.7)).toMatchObject({ desired: 9, withinTolerance: false }); // ratio 0.89: ceil(8.9)
    expect(hpa(10, 0.74, 0.7, 1, 20, 0.05)).toMatchObject({ desired: 11, withinTolerance: false }); // 1.057 > 1.05
    expect(hpa(10, 0.73, 0.7, 1, 20, 0.05)).toMatchObject({ desired: 10, withinTolerance: true });
  });

  it("scales by ceil(current × ratio), without float noise adding a replica", () => {
    expect(hpa(3, 0.92, 0.7)).toMatchObject({ desired: 4 }); // 3.94
    expect(hpa(5, 0.84, 0.7)).toMatchObject({ desired: 6 }); // 0.84 / 0.7 × 5 computes as 6.000000000000001
    expect(hpa(4, 1.4, 0.7).ratio).toBeCloseTo(2, 12);
  });

  it("scales in", () => {
    expect(hpa(10, 0.35, 0.7)).toEqual({ desired: 5, ratio: 0.5, withinTolerance: false });
    expect(hpa(6, 0.2, 0.7)).toMatchObject({ desired: 2 }); // 1.71
  });

  it("clamps to minReplicas and maxReplicas and says so", () => {
    expect(hpa(4, 2.1, 0.7)).toEqual({ desired: 10, ratio: 3.0000000000000004, withinTolerance: false, clamped: "max" });
    expect(hpa(3, 0.1, 0.7, 2, 10)).toMatchObject({ desired: 2, clamped: "min" });
    // Zero load with scale-to-zero allowed.
    expect(hpa(3, 0, 0.7, 0, 10)).toEqual({ desired: 0, ratio: 0, withinTolerance: false });
    // Within tolerance but outside the bounds (the bounds were edited): the controller still clamps.
    expect(hpa(12, 0.7, 0.7)).toMatchObject({ desired: 10, withinTolerance: true, clamped: "max" });
    // Landing exactly on a bound is not a clamp.
    expect(hpa(5, 1.4, 0.7)).toEqual({ desired: 10, ratio: 2, withinTolerance: false });
  });

  it("throws a clear error when the metric is missing", () => {
    expect(() => hpa(3, undefined, 0.7)).toThrow(/metric is missing/);
    expect(() => hpa(3, NaN, 0.7)).toThrow(/metric is missing/);
  });

  it("rejects impossible settings", () => {
    expect(() => hpa(3, 0.5, 0)).toThrow(RangeError);
    expect(() => hpa(3, 0.5, 0.7, 5, 2)).toThrow(RangeError);
    expect(() => hpa(0, 0.5, 0.7)).toThrow(RangeError);
    expect(() => hpa(3, -0.1, 0.7)).toThrow(RangeError);
  });
});

describe("queueWorkers", () => {
  it("sizes for arrivals plus headroom when there is no backlog", () => {
    const r = queueWorkers({ arrivalRatePerS: 100, perWorkerThroughputPerS: 10, backlog: 0, currentWorkers: 8 });
    expect(r).toEqual({ workersNeeded: 12, timeToDrainS: 0, timeToDrainWithSuggestedS: 0 });
  });

  it("adds workers to drain the backlog within the deadline", () => {
    // 60,000 items in 600 s: another 100/s on top of 120/s → 22 workers, draining at 220 − 100 = 120/s.
    const r = queueWorkers({ arrivalRatePerS: 100, perWorkerThroughputPerS: 10, backlog: 60_000, currentWorkers: 15 });
    expect(r.workersNeeded).toBe(22);
    expect(r.timeToDrainS).toBeCloseTo(60_000 / 50, 9);
    expect(r.timeToDrainWithSuggestedS).toBeCloseTo(500, 9);
    expect(queueWorkers({ arrivalRatePerS: 100, perWorkerThroughputPerS: 10, backlog: 60_000, currentWorkers: 15, drainWithinS: 60 }).workersNeeded).toBe(112);
    expect(queueWorkers({ arrivalRatePerS: 100, perWorkerThroughputPerS: 10, backlog: 0, currentWorkers: 15, headroom: 0 }).workersNeeded).toBe(10);
  });

  it("says the backlog never drains when workers do not outpace arrivals", () => {
    expect(queueWorkers({ arrivalRatePerS: 100, perWorkerThroughputPerS: 10, backlog: 500, currentWorkers: 8 }).timeToDrainS).toBeNull();
    expect(queueWorkers({ arrivalRatePerS: 100, perWorkerThroughputPerS: 10, backlog: 500, currentWorkers: 10 }).timeToDrainS).toBeNull();
  });

  it("needs no workers for an idle, empty queue", () => {
    expect(queueWorkers({ arrivalRatePerS: 0, perWorkerThroughputPerS: 5, backlog: 0, currentWorkers: 2 })).toEqual({
      workersNeeded: 0, timeToDrainS: 0, timeToDrainWithSuggestedS: 0,
    });
  });

  it("always suggests the fewest workers that meet both goals", () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 500; i++) {
      const input = {
        arrivalRatePerS: rand() * 1000, perWorkerThroughputPerS: 0.5 + rand() * 50, backlog: Math.floor(rand() * 1e6),
        currentWorkers: Math.floor(rand() * 50), headroom: rand() * 0.5, drainWithinS: 60 + rand() * 3600,
      };
      const { workersNeeded: w, timeToDrainWithSuggestedS } = queueWorkers(input);
      const need = input.arrivalRatePerS * (1 + input.headroom) + input.backlog / input.drainWithinS;
      expect(w * input.perWorkerThroughputPerS).toBeGreaterThanOrEqual(need * (1 - 1e-12));
      expect((w - 1) * input.perWorkerThroughputPerS).toBeLessThan(need);
      expect(timeToDrainWithSuggestedS).toBeLessThanOrEqual(input.drainWithinS * (1 + 1e-12));
    }
  });

  it("rejects a worker that does nothing", () => {
    expect(() => queueWorkers({ arrivalRatePerS: 1, perWorkerThroughputPerS: 0, backlog: 0, currentWorkers: 1 })).toThrow(RangeError);
  });
});

describe("verticalSize", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("interpolates percentiles between ranks like quantile_over_time", () => {
    expect(interpolatedQuantile(hundred, 0.95)).toBeCloseTo(95.05, 12);
    expect(interpolatedQuantile(hundred, 0.99)).toBeCloseTo(99.01, 12);
    expect(interpolatedQuantile([3], 0.95)).toBe(3);
  });

  it("sets a CPU request from p95 + 15 %, in whole millicores, and no CPU limit", () => {
    const usage = hundred.map((i) => i / 100).reverse(); // 0.01 … 1.00 cores, unsorted
    const r = verticalSize({ usage, kind: "cpu" });
    expect(r.p95).toBeCloseTo(0.9505, 12);
    expect(r.p99).toBeCloseTo(0.9901, 12);
    expect(r.request).toBe(1.094); // 0.9505 × 1.15 = 1.093075, rounded up
    expect(r.limit).toBeNull();
    // 0.2 × 1.15 computes as 0.23000000000000004: still 230m.
    expect(verticalSize({ usage: [0.2, 0.2, 0.2], kind: "cpu" }).request).toBe(0.23);
    expect(verticalSize({ usage: [0.0001], kind: "cpu" }).request).toBe(0.001);
  });

  it("sets memory request from p95 + 20 % and limit from p99 + 20 %, in whole MiB", () => {
    const usage = hundred.map((i) => (100 + i) * MIB); // 101 … 200 MiB
    const r = verticalSize({ usage, kind: "memory" });
    expect(r.request).toBe(235 * MIB); // 195.05 × 1.2 = 234.06
    expect(r.limit).toBe(239 * MIB); // 199.01 × 1.2 = 238.812
    expect(verticalSize({ usage, kind: "memory", margin: 0 })).toMatchObject({ request: 196 * MIB, limit: 200 * MIB });
  });

  it("never puts the memory limit below the request", () => {
    const r = verticalSize({ usage: [256 * MIB, 256 * MIB], kind: "memory" });
    expect(r.request).toBe(308 * MIB); // 307.2 rounded up
    expect(r.limit).toBe(r.request);
  });

  it("ignores non-finite samples and refuses to size without any", () => {
    expect(verticalSize({ usage: [NaN, 0.5, Infinity], kind: "cpu" }).request).toBe(0.575);
    expect(() => verticalSize({ usage: [], kind: "memory" })).toThrow(RangeError);
    expect(() => verticalSize({ usage: [NaN], kind: "cpu" })).toThrow(RangeError);
  });
});

describe("concurrencyLimit", () => {
  it("applies Little's law at the saturation point with a safety factor", () => {
    // 200 requests/s at 50 ms holds 10 in flight.
    expect(concurrencyLimit({ capacityThroughputPerS: 200, latencyAtCapacityMs: 50 })).toEqual({ maxConcurrency: 9, maxRatePerS: 180 });
    expect(concurrencyLimit({ capacityThroughputPerS: 200, latencyAtCapacityMs: 50, safety: 1 })).toEqual({ maxConcurrency: 10, maxRatePerS: 200 });
    expect(concurrencyLimit({ capacityThroughputPerS: 300, latencyAtCapacityMs: 30 }).maxConcurrency).toBe(8); // 8.1
  });

  it("rounds down without float noise losing one, and admits at least one", () => {
    // 300 × 0.3 × 0.7 computes as 62.99999999999999.
    expect(concurrencyLimit({ capacityThroughputPerS: 300, latencyAtCapacityMs: 300, safety: 0.7 }).maxConcurrency).toBe(63);
    expect(concurrencyLimit({ capacityThroughputPerS: 1, latencyAtCapacityMs: 5 }).maxConcurrency).toBe(1);
  });

  it("rejects a safety factor outside (0, 1]", () => {
    expect(() => concurrencyLimit({ capacityThroughputPerS: 10, latencyAtCapacityMs: 10, safety: 1.5 })).toThrow(RangeError);
  });
});
