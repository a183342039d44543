/**
 * M/M/c queueing: Poisson arrivals, exponential service times, c identical servers, FCFS.
 *
 * A replica with a concurrency limit (worker threads, a connection pool, a semaphore) is a set of
 * servers; a service is `replicas × concurrency` of them behind a load balancer. The model is an
 * idealisation (real service times are rarely exponential) but it gets the shape right: latency
 * stays flat until utilization nears 1 and then climbs steeply, and more servers sharing one
 * queue flatten the climb. That is what "how many replicas for a p95 under X" needs.
 *
 * Units: rates per second, times in milliseconds.
 */

export interface MmcInput {
  /** λ, arrivals per second. */
  arrivalRate: number;
  /** 1/μ, the mean service time, ms. */
  serviceTimeMs: number;
  /** c, a positive integer. */
  servers: number;
}

export interface MmcResult {
  /** ρ = λ / (cμ), the busy fraction of each server; 1 when unstable. */
  utilization: number;
  /** Erlang C: the probability an arrival finds every server busy and waits. */
  waitProbability: number;
  meanWaitMs: number;
  meanResponseMs: number;
  /** The q-quantile (0 ≤ q < 1) of the response time (wait + service), ms; Infinity when unstable. */
  responseQuantileMs(q: number): number;
  /** ρ < 1: the queue has a steady state. Otherwise it grows without bound. */
  stable: boolean;
}

export interface WhatIfInput {
  arrivalRate: number;
  serviceTimeMs: number;
  /** Servers each replica contributes (its concurrency limit), a positive integer. */
  concurrencyPerReplica: number;
  /** The replica counts to predict for, each a positive integer. */
  replicas: number[];
}

export interface WhatIfPoint {
  replicas: number;
  utilization: number;
  /** Null when unstable: the queue grows without bound and there is no p95. */
  p95Ms: number | null;
  meanMs: number | null;
}

export interface FitServiceTimeInput {
  /** Completed requests per second (X). */
  throughputPerS: number;
  /** Mean busy fraction of the c servers, 0..1 (U). */
  busyFraction: number;
  /** c. */
  servers: number;
}

function checkServers(c: number, what: string): void {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`${what} must be a positive integer, got ${c}`);
}

function checkNonNegative(x: number, what: string): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${what} must be a finite number ≥ 0, got ${x}`);
}

/**
 * Erlang C: the probability that an arrival waits, for c servers and offered load a = λ/μ.
 * 1 when a ≥ c (the queue never empties). The factorial formula overflows past c ≈ 170, so this
 * runs the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), whose terms stay in [0, 1],
 * and converts: C = B / (1 − ρ(1 − B)).
 */
export function erlangC(c: number, offeredLoad: number): number {
  checkServers(c, "servers");
  checkNonNegative(offeredLoad, "offeredLoad");
  const a = offeredLoad;
  if (a >= c) return 1;
  if (a === 0) return 0;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

/**
 * P(T > t) for T = S + W, with S ~ Exp(μ) the service time and W the wait: 0 with probability
 * 1 − C, else Exp(δ) with δ = cμ − λ (the rate at which the queue ahead of a waiter clears).
 *
 *   P(T > t) = (1 − C)·e^{−μt} + C·P(S + Exp(δ) > t)
 *
 * and for the sum of two exponentials (hypoexponential)
 *
 *   P(S + Exp(δ) > t) = (δ·e^{−μt} − μ·e^{−δt}) / (δ − μ)               (δ ≠ μ)
 *                     = e^{−μt}·(1 + μt·(1 − e^{−(δ−μ)t}) / ((δ−μ)t))      (any δ)
 *
 * The second form tends to e^{−μt}(1 + μt), the Erlang-2 tail, as δ → μ; it is used near δ = μ,
 * where the first cancels catastrophically, and the first elsewhere, where e^{(μ−δ)t} could overflow.
 */
function responseSurvival(t: number, mu: number, delta: number, waitProb: number): number {
  const serviceOnly = Math.exp(-mu * t);
  if (waitProb === 0) return serviceOnly;
  const x = (delta - mu) * t;
  const withWait = Math.abs(x) < 1
    ? serviceOnly * (1 + mu * t * (x === 0 ? 1 : -Math.expm1(-x) / x))
    : (delta * serviceOnly - mu * Math.exp(-delta * t)) / (delta - mu);
  return (1 - waitProb) * serviceOnly + waitProb * withWait;
}

function checkQuantile(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
}

/** The t with survival(t) = 1 − q, by bisection: the survival function is decreasing. */
function solveQuantile(q: number, survival: (t: number) => number, scale: number): number {
  checkQuantile(q);
  if (q === 0) return 0;
  if (q === 1) return Infinity;
  const tail = 1 - q;
  let lo = 0;
  let hi = scale;
  while (survival(hi) > tail) {
    lo = hi;
    hi *= 2;
  }
  // 200 halvings reach the float resolution of any bracket; stop earlier once it is that tight.
  for (let i = 0; i < 200 && hi - lo > hi * 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (survival(mid) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function mmc(input: MmcInput): MmcResult {
  const { arrivalRate, serviceTimeMs, servers: c } = input;
  checkServers(c, "servers");
  checkNonNegative(arrivalRate, "arrivalRate");
  if (!(serviceTimeMs > 0) || !Number.isFinite(serviceTimeMs)) throw new RangeError(`serviceTimeMs must be > 0, got ${serviceTimeMs}`);

  // Work per millisecond so the results come out in ms.
  const lambda = arrivalRate / 1000;
  const mu = 1 / serviceTimeMs;
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) {
    return {
      utilization: 1, waitProbability: 1, meanWaitMs: Infinity, meanResponseMs: Infinity,
      responseQuantileMs: (q) => {
        checkQuantile(q);
        return Infinity;
      },
      stable: false,
    };
  }
  const waitProb = erlangC(c, a);
  const delta = c * mu - lambda;
  // A waiter waits Exp(δ): mean 1/δ, so E[W] = C/δ.
  const meanWaitMs = waitProb / delta;
  return {
    utilization: rho, waitProbability: waitProb, meanWaitMs, meanResponseMs: meanWaitMs + serviceTimeMs,
    responseQuantileMs: (q) => solveQuantile(q, (t) => responseSurvival(t, mu, delta, waitProb), serviceTimeMs + meanWaitMs),
    stable: true,
  };
}

/** Replicas → predicted p95 and mean response: the points of the "what if we scale to N" chart. */
export function whatIf(input: WhatIfInput): WhatIfPoint[] {
  checkServers(input.concurrencyPerReplica, "concurrencyPerReplica");
  return input.replicas.map((replicas) => {
    checkServers(replicas, "replicas");
    const m = mmc({ arrivalRate: input.arrivalRate, serviceTimeMs: input.serviceTimeMs, servers: replicas * input.concurrencyPerReplica });
    return {
      replicas, utilization: m.utilization,
      p95Ms: m.stable ? m.responseQuantileMs(0.95) : null,
      meanMs: m.stable ? m.meanResponseMs : null,
    };
  });
}

/**
 * The mean service time S, ms, from the utilization law U = X·S / c: each completion keeps one of
 * the c servers busy for S on average, so over a second the servers are busy X·S server-seconds
 * out of c. Hence S = U·c / X. It needs only throughput and busy fraction, both cheap to measure,
 * and unlike span durations it excludes time spent queueing before a server picked the work up.
 */
export function fitServiceTime(input: FitServiceTimeInput): number {
  const { throughputPerS, busyFraction, servers } = input;
  checkServers(servers, "servers");
  if (!(throughputPerS > 0) || !Number.isFinite(throughputPerS)) {
    throw new RangeError(`throughputPerS must be > 0 to fit a service time, got ${throughputPerS}`);
  }
  if (!(busyFraction >= 0 && busyFraction <= 1)) throw new RangeError(`busyFraction must be in [0, 1], got ${busyFraction}`);
  return ((busyFraction * servers) / throughputPerS) * 1000;
}
