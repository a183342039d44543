/**
 * Sizing formulas: how many replicas or workers, how large each one, how much concurrency to
 * let in. Each is the standard rule SREs already apply by hand (the Kubernetes HPA algorithm,
 * Little's law, percentile-plus-margin requests), written out so the numbers can be shown with
 * their working.
 */

export interface HpaInput {
  currentReplicas: number;
  /**
   * The metric's current value per pod, e.g. 0.92 of the CPU request; any unit, as long as the
   * target uses the same. Undefined or NaN (no metric) throws.
   */
  currentUtilization: number | undefined;
  /** The HPA target, e.g. 0.7. */
  targetUtilization: number;
  minReplicas: number;
  maxReplicas: number;
  /** The HPA's --horizontal-pod-autoscaler-tolerance; 0.1 by default. */
  tolerance?: number;
}

export interface HpaResult {
  desired: number;
  /** current / target. */
  ratio: number;
  /** |ratio − 1| ≤ tolerance: the HPA leaves the replica count alone. */
  withinTolerance: boolean;
  /** Set when minReplicas or maxReplicas changed the answer. */
  clamped?: "min" | "max";
}

export interface QueueWorkersInput {
  /** Items enqueued per second. */
  arrivalRatePerS: number;
  /** Items one worker completes per second when busy. */
  perWorkerThroughputPerS: number;
  /** Items waiting now. */
  backlog: number;
  currentWorkers: number;
  /** Spare capacity kept above the arrival rate for bursts; 0.2 by default. */
  headroom?: number;
  /** The backlog should be gone within this many seconds; 600 by default. */
  drainWithinS?: number;
}

export interface QueueWorkersResult {
  workersNeeded: number;
  /** Seconds to empty the backlog with the current workers; null if they never will (they do not outpace arrivals). */
  timeToDrainS: number | null;
  timeToDrainWithSuggestedS: number;
}

export interface VerticalSizeInput {
  /** Usage samples: cores for CPU, bytes for memory. */
  usage: number[];
  kind: "cpu" | "memory";
  /** Fraction added on top of the percentile; 0.15 for CPU, 0.2 for memory by default. */
  margin?: number;
}

export interface VerticalSizeResult {
  /** Cores rounded up to a millicore, or bytes rounded up to a MiB. */
  request: number;
  /** Memory only (bytes, whole MiB); null for CPU, see `verticalSize`. */
  limit: number | null;
  p95: number;
  p99: number;
}

export interface ConcurrencyLimitInput {
  /** The maximum throughput measured at saturation, requests per second. */
  capacityThroughputPerS: number;
  /** The mean latency at that throughput, ms. */
  latencyAtCapacityMs: number;
  /** Fraction of capacity to admit; 0.9 by default. */
  safety?: number;
}

export interface ConcurrencyLimitResult {
  maxConcurrency: number;
  maxRatePerS: number;
}

/**
 * Rounding and tolerance comparisons forgive float noise: 0.84 / 0.7 × 5 computes as
 * 6.000000000000001, which must not ceil to 7, and 0.77 / 0.7 = 1.1 leaves |1 − ratio| a hair
 * above 0.1. (Kubernetes feeds its float64 comparison integer percentages and milli-quantities,
 * so it mostly dodges this; the documented semantics — within tolerance inclusive — are what we keep.)
 */
const EPSILON = 1e-9;
/** For quantities ≥ 0 only (never returns −0). */
const ceilish = (x: number) => Math.max(0, Math.ceil(x - EPSILON));
const floorish = (x: number) => Math.floor(x + EPSILON);

const MIB = 1024 * 1024;

function checkPositive(x: number, what: string): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`${what} must be a finite number > 0, got ${x}`);
}

function checkNonNegative(x: number, what: string): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${what} must be a finite number ≥ 0, got ${x}`);
}

/**
 * The Kubernetes HPA's replica count for one metric (kube-controller-manager,
 * replica_calculator.go): ratio = current / target; within tolerance keep the current count,
 * else ceil(currentReplicas × ratio); then clamp to [minReplicas, maxReplicas]. The clamp applies
 * even within tolerance, as the controller's normalization does. Not modelled: scale-down
 * stabilization (5 min by default) and the scale-up rate policies, which delay but do not change
 * where the HPA is heading.
 *
 * A missing metric (undefined, NaN) throws: the HPA does not act on a metric it cannot read, and
 * a silent "keep current" would read as "no scaling needed".
 */
export function hpaDesiredReplicas(input: HpaInput): HpaResult {
  const { currentReplicas, currentUtilization, targetUtilization, minReplicas, maxReplicas, tolerance = 0.1 } = input;
  if (currentUtilization == null || Number.isNaN(currentUtilization)) {
    throw new Error(`hpaDesiredReplicas: the current metric is missing (got ${currentUtilization}); cannot compute a replica count without it`);
  }
  checkNonNegative(currentUtilization, "currentUtilization");
  checkPositive(targetUtilization, "targetUtilization");
  checkNonNegative(tolerance, "tolerance");
  if (!Number.isInteger(currentReplicas) || currentReplicas < 1) throw new RangeError(`currentReplicas must be a positive integer, got ${currentReplicas}`);
  // minReplicas 0 is allowed: scale-to-zero (the HPAScaleToZero feature gate, or KEDA).
  if (!Number.isInteger(minReplicas) || !Number.isInteger(maxReplicas) || minReplicas < 0 || maxReplicas < 1 || minReplicas > maxReplicas) {
    throw new RangeError(`need integers 0 ≤ minReplicas ≤ maxReplicas, maxReplicas ≥ 1, got ${minReplicas} and ${maxReplicas}`);
  }

  const ratio = currentUtilization / targetUtilization;
  const withinTolerance = Math.abs(ratio - 1) <= tolerance + EPSILON;
  const raw = withinTolerance ? currentReplicas : ceilish(currentReplicas * ratio);
  if (raw < minReplicas) return { desired: minReplicas, ratio, withinTolerance, clamped: "min" };
  if (raw > maxReplicas) return { desired: maxReplicas, ratio, withinTolerance, clamped: "max" };
  return { desired: raw, ratio, withinTolerance };
}

/**
 * Workers for a queue: keep up with arrivals plus headroom, and clear the backlog in time.
 *
 * Steady state needs capacity λ(1 + headroom). Draining B items within D seconds needs a further
 * B / D items per second on top — the headroom is kept free for bursts during the drain, not
 * spent on it. So workers = ceil((λ(1 + headroom) + B / D) / perWorker), rounded once.
 *
 * With w workers the backlog shrinks at w·μ − λ per second, so it drains in B / (w·μ − λ); if
 * w·μ ≤ λ it never drains (null). By Little's law (L = λW) an item arriving behind a backlog of
 * B, served at w·μ per second, waits about B / (w·μ): the drain time bounds the queueing delay
 * every item sees until the backlog is gone. An empty backlog drains in 0 s.
 */
export function queueWorkers(input: QueueWorkersInput): QueueWorkersResult {
  const { arrivalRatePerS: lambda, perWorkerThroughputPerS: perWorker, backlog, currentWorkers, headroom = 0.2, drainWithinS = 600 } = input;
  checkNonNegative(lambda, "arrivalRatePerS");
  checkPositive(perWorker, "perWorkerThroughputPerS");
  checkNonNegative(backlog, "backlog");
  checkNonNegative(currentWorkers, "currentWorkers");
  checkNonNegative(headroom, "headroom");
  checkPositive(drainWithinS, "drainWithinS");

  const drainTime = (workers: number): number | null => {
    if (backlog === 0) return 0;
    const net = workers * perWorker - lambda;
    return net > 0 ? backlog / net : null;
  };
  const workersNeeded = ceilish((lambda * (1 + headroom) + backlog / drainWithinS) / perWorker);
  return {
    workersNeeded,
    timeToDrainS: drainTime(currentWorkers),
    // Capacity exceeds λ by at least B / D, so this is finite and at most drainWithinS.
    timeToDrainWithSuggestedS: drainTime(workersNeeded)!,
  };
}

/** The q-quantile with linear interpolation between closest ranks, as Prometheus' quantile_over_time. */
export function interpolatedQuantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Requests and limits from observed usage. Request = p95 × (1 + margin): the scheduler reserves
 * what the pod needs nearly all of the time. Memory limit = p99 × (1 + margin), never below the
 * request: going over it is an OOM kill, so it sits above the rare peaks.
 *
 * CPU gets no limit (null). CPU over the request is compressible — the pod is only slowed when
 * the node is contended — whereas a CFS quota throttles it in 100 ms periods even on an idle
 * node, which shows up as tail latency. Many SREs leave CPU limits unset for this reason.
 *
 * CPU is rounded up to a millicore (returned in cores), memory up to a MiB (returned in bytes).
 */
export function verticalSize(input: VerticalSizeInput): VerticalSizeResult {
  const margin = input.margin ?? (input.kind === "cpu" ? 0.15 : 0.2);
  checkNonNegative(margin, "margin");
  const sorted = input.usage.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError("verticalSize needs at least one finite usage sample");
  const p95 = interpolatedQuantile(sorted, 0.95);
  const p99 = interpolatedQuantile(sorted, 0.99);
  if (input.kind === "cpu") {
    const millicores = Math.max(1, ceilish(p95 * (1 + margin) * 1000));
    return { request: millicores / 1000, limit: null, p95, p99 };
  }
  const requestMiB = Math.max(1, ceilish((p95 * (1 + margin)) / MIB));
  const limitMiB = Math.max(requestMiB, ceilish((p99 * (1 + margin)) / MIB));
  return { request: requestMiB * MIB, limit: limitMiB * MIB, p95, p99 };
}

/**
 * A concurrency limit from a measured saturation point. By Little's law L = λ·W, at the maximum
 * throughput λ and its latency W the service holds λ·W requests in flight: more in flight only
 * queues (latency rises, throughput does not). Admit a safety fraction of that, rounded down,
 * and at least one.
 */
export function concurrencyLimit(input: ConcurrencyLimitInput): ConcurrencyLimitResult {
  const { capacityThroughputPerS, latencyAtCapacityMs, safety = 0.9 } = input;
  checkPositive(capacityThroughputPerS, "capacityThroughputPerS");
  checkPositive(latencyAtCapacityMs, "latencyAtCapacityMs");
  if (!(safety > 0 && safety <= 1)) throw new RangeError(`safety must be in (0, 1], got ${safety}`);
  const inFlight = capacityThroughputPerS * (latencyAtCapacityMs / 1000);
  return {
    maxConcurrency: Math.max(1, floorish(inFlight * safety)),
    maxRatePerS: capacityThroughputPerS * safety,
  };
}
