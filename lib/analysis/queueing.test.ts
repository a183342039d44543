import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/prng";
import { erlangC, fitServiceTime, mmc, whatIf } from "./queueing";

/** Erlang C straight from the textbook factorial formula; fine for small c. */
function erlangCFactorial(c: number, a: number): number {
  let fact = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    if (k > 0) fact *= k;
    sum += a ** k / fact;
  }
  const top = (a ** c / (fact * c)) * (c / (c - a));
  return top / (sum + top);
}

/** The same formula in log space (log-sum-exp), independent of the Erlang B recursion, for large c. */
function erlangCLog(c: number, a: number): number {
  const logTerms: number[] = [];
  let logFact = 0;
  for (let k = 0; k < c; k++) {
    if (k > 0) logFact += Math.log(k);
    logTerms.push(k * Math.log(a) - logFact);
  }
  const logTop = c * Math.log(a) - (logFact + Math.log(c)) + Math.log(c / (c - a));
  const max = Math.max(logTop, ...logTerms);
  const sum = logTerms.reduce((s, l) => s + Math.exp(l - max), 0);
  const top = Math.exp(logTop - max);
  return top / (sum + top);
}

/** FCFS M/M/c by simulation: the response times of `n` customers after a warm-up. */
function simulateResponses(arrivalPerMs: number, serviceMs: number, c: number, n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const freeAt = new Array<number>(c).fill(0);
  const warmUp = 20_000;
  const out: number[] = [];
  let now = 0;
  for (let i = 0; i < n + warmUp; i++) {
    now += exp(1 / arrivalPerMs);
    // With one shared queue served in order, the next customer goes to whichever server frees first.
    let s = 0;
    for (let j = 1; j < c; j++) if (freeAt[j] < freeAt[s]) s = j;
    const start = Math.max(now, freeAt[s]);
    freeAt[s] = start + exp(serviceMs);
    if (i >= warmUp) out.push(freeAt[s] - now);
  }
  return out;
}

function empiricalQuantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe("erlangC", () => {
  it("equals ρ for a single server", () => {
    for (const rho of [0.1, 0.5, 0.8, 0.99]) expect(erlangC(1, rho)).toBeCloseTo(rho, 12);
  });

  it("gives the textbook 1/3 for two servers at offered load 1", () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it("matches the call-centre table value for c = 10, a = 8 and the factorial formula", () => {
    expect(erlangC(10, 8)).toBeCloseTo(0.4092, 4);
    for (const [c, a] of [[10, 8], [3, 2.5], [5, 1], [20, 15], [50, 45]]) {
      expect(erlangC(c, a)).toBeCloseTo(erlangCFactorial(c, a), 10);
    }
  });

  it("stays finite and accurate for c up to 1000, where factorials overflow", () => {
    for (const [c, a] of [[200, 180], [500, 480], [1000, 950], [1000, 999]]) {
      const got = erlangC(c, a);
      expect(Number.isFinite(got)).toBe(true);
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThan(1);
      expect(Math.abs(got - erlangCLog(c, a)) / erlangCLog(c, a)).toBeLessThan(1e-9);
    }
  });

  it("is 1 at or past saturation and 0 without load", () => {
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 7)).toBe(1);
    expect(erlangC(4, 0)).toBe(0);
  });

  it("rejects a non-integer or non-positive server count", () => {
    expect(() => erlangC(0, 0.5)).toThrow(RangeError);
    expect(() => erlangC(2.5, 1)).toThrow(RangeError);
    expect(() => erlangC(2, -1)).toThrow(RangeError);
  });
});

describe("mmc", () => {
  it("reduces to M/M/1 for one server: response time is exponential with rate μ − λ", () => {
    // S = 50 ms, λ = 16/s → ρ = 0.8, mean response 250 ms.
    const m = mmc({ arrivalRate: 16, serviceTimeMs: 50, servers: 1 });
    expect(m.stable).toBe(true);
    expect(m.utilization).toBeCloseTo(0.8, 12);
    expect(m.waitProbability).toBeCloseTo(0.8, 12);
    expect(m.meanResponseMs).toBeCloseTo(250, 9);
    expect(m.meanWaitMs).toBeCloseTo(200, 9);
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      expect(m.responseQuantileMs(q)).toBeCloseTo(-Math.log(1 - q) * 250, 6);
    }
  });

  it("gives the service-time quantile with no load", () => {
    const m = mmc({ arrivalRate: 0, serviceTimeMs: 100, servers: 3 });
    expect(m.waitProbability).toBe(0);
    expect(m.responseQuantileMs(0.95)).toBeCloseTo(-Math.log(0.05) * 100, 6);
  });

  it("handles cμ − λ = μ, where the hypoexponential formula divides by zero", () => {
    // c = 2, λ = μ: δ = 2μ − μ = μ. The waiter's response is Erlang-2: tail e^{−μt}(1 + μt).
    const m = mmc({ arrivalRate: 10, serviceTimeMs: 100, servers: 2 });
    const C = m.waitProbability;
    expect(C).toBeCloseTo(1 / 3, 12);
    const t = m.responseQuantileMs(0.95);
    const mu = 1 / 100;
    const survival = (1 - C) * Math.exp(-mu * t) + C * Math.exp(-mu * t) * (1 + mu * t);
    expect(survival).toBeCloseTo(0.05, 9);
    // And it is continuous through the special case.
    const near = mmc({ arrivalRate: 10 * (1 + 1e-7), serviceTimeMs: 100, servers: 2 }).responseQuantileMs(0.95);
    expect(Math.abs(near - t) / t).toBeLessThan(1e-5);
  });

  it.each([
    { servers: 4, arrivalRate: 32, serviceTimeMs: 100, label: "c = 4, ρ = 0.8" },
    { servers: 2, arrivalRate: 10, serviceTimeMs: 100, label: "c = 2, δ = μ" },
    { servers: 16, arrivalRate: 136, serviceTimeMs: 100, label: "c = 16, ρ = 0.85" },
    { servers: 3, arrivalRate: 12, serviceTimeMs: 50, label: "c = 3, ρ = 0.2" },
  ])("matches a Monte-Carlo simulation within 3 % ($label)", ({ servers, arrivalRate, serviceTimeMs }) => {
    const m = mmc({ arrivalRate, serviceTimeMs, servers });
    const sim = simulateResponses(arrivalRate / 1000, serviceTimeMs, servers, 400_000, 42 + servers);
    for (const q of [0.5, 0.95, 0.99]) {
      const expected = empiricalQuantile(sim, q);
      expect(Math.abs(m.responseQuantileMs(q) - expected) / expected).toBeLessThan(0.03);
    }
    const simMean = sim.reduce((s, x) => s + x, 0) / sim.length;
    expect(Math.abs(m.meanResponseMs - simMean) / simMean).toBeLessThan(0.03);
  });

  it("reports an unstable queue as saturated with infinite waits", () => {
    for (const arrivalRate of [40, 55]) {
      const m = mmc({ arrivalRate, serviceTimeMs: 100, servers: 4 });
      expect(m.stable).toBe(false);
      expect(m.utilization).toBe(1);
      expect(m.waitProbability).toBe(1);
      expect(m.meanWaitMs).toBe(Infinity);
      expect(m.meanResponseMs).toBe(Infinity);
      expect(m.responseQuantileMs(0.95)).toBe(Infinity);
    }
  });

  it("has quantiles increasing in q and rejects q outside [0, 1]", () => {
    const m = mmc({ arrivalRate: 30, serviceTimeMs: 100, servers: 4 });
    const qs = [0.1, 0.5, 0.9, 0.95, 0.99, 0.9999].map((q) => m.responseQuantileMs(q));
    for (let i = 1; i < qs.length; i++) expect(qs[i]).toBeGreaterThan(qs[i - 1]);
    expect(m.responseQuantileMs(0)).toBe(0);
    expect(() => m.responseQuantileMs(1.5)).toThrow(RangeError);
    expect(() => mmc({ arrivalRate: 1, serviceTimeMs: 0, servers: 1 })).toThrow(RangeError);
  });
});

describe("whatIf", () => {
  it("predicts p95 falling as replicas are added, null while unstable", () => {
    // 2 servers per replica, S = 100 ms, 70/s: offered load 7 servers' worth.
    const points = whatIf({ arrivalRate: 70, serviceTimeMs: 100, concurrencyPerReplica: 2, replicas: [3, 4, 5, 8] });
    expect(points.map((p) => p.replicas)).toEqual([3, 4, 5, 8]);
    expect(points[0]).toEqual({ replicas: 3, utilization: 1, p95Ms: null, meanMs: null });
    expect(points[1].utilization).toBeCloseTo(7 / 8, 12);
    expect(points[3].utilization).toBeCloseTo(7 / 16, 12);
    const p95 = points.slice(1).map((p) => p.p95Ms!);
    expect(p95[0]).toBeGreaterThan(p95[1]);
    expect(p95[1]).toBeGreaterThan(p95[2]);
    // Plenty of servers: p95 approaches the service time's own p95, −ln(0.05)·100 ≈ 299.6 ms.
    expect(p95[2]).toBeGreaterThan(299.5);
    expect(p95[2]).toBeLessThan(310);
    expect(points[1].p95Ms).toBeCloseTo(mmc({ arrivalRate: 70, serviceTimeMs: 100, servers: 8 }).responseQuantileMs(0.95), 9);
  });

  it("rejects a fractional replica count", () => {
    expect(() => whatIf({ arrivalRate: 1, serviceTimeMs: 10, concurrencyPerReplica: 1, replicas: [1.5] })).toThrow(RangeError);
  });
});

describe("fitServiceTime", () => {
  it("inverts the utilization law U = X·S / c", () => {
    // 4 servers half busy at 20 requests/s: 2 server-seconds per second / 20 = 100 ms each.
    expect(fitServiceTime({ throughputPerS: 20, busyFraction: 0.5, servers: 4 })).toBeCloseTo(100, 12);
    const s = fitServiceTime({ throughputPerS: 37, busyFraction: 0.63, servers: 12 });
    expect(mmc({ arrivalRate: 37, serviceTimeMs: s, servers: 12 }).utilization).toBeCloseTo(0.63, 12);
  });

  it("refuses to fit without traffic or with a busy fraction outside 0..1", () => {
    expect(() => fitServiceTime({ throughputPerS: 0, busyFraction: 0.2, servers: 1 })).toThrow(RangeError);
    expect(() => fitServiceTime({ throughputPerS: 5, busyFraction: 1.2, servers: 1 })).toThrow(RangeError);
  });
});
