/** Shapes of GET /api/bottlenecks (see DESIGN.md, "Public HTTP API"). */

import type { TimePoint } from "./api";

/** Figures of one operation over one window (the current one or the baseline before it). */
export interface FindingWindowStats {
  from: number;
  to: number;
  count: number;
  errors: number;
  /** 0..1 */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
}

export type FindingKind =
  | "latency_regression"
  | "error_spike"
  | "critical_path_hotspot"
  | "slow_operation"
  | "n_plus_one"
  | "sequential_calls"
  | "saturation"
  | "error_budget_burn";

export interface Finding {
  /** Stable across refreshes, e.g. "latency_regression:checkout:GET /cart:server". */
  id: string;
  kind: FindingKind | (string & {});
  service: string;
  operation?: string;
  spanKind?: string;
  resource?: string;
  /** Estimated user time lost in the window, ms: the ranking. */
  score: number;
  summary: string;
  evidence?: {
    current?: FindingWindowStats;
    baseline?: FindingWindowStats;
    /** The significance test in words. */
    test?: string;
    /** A ready link to example traces, e.g. "/traces?service=…". */
    traceSearch?: string;
    /** critical_path_hotspot: time it owns on the critical path (ms) and its share of all of it. */
    criticalPathMs?: number;
    criticalPathShare?: number;
    selfMs?: number;
    /** error_budget_burn: the SLO's page. */
    sloUrl?: string;
  } & Partial<SaturationEvidence>;
}

/** saturation: a hot resource (0..1 utilizations) and the service latency or error rate moving with it. */
export interface SaturationEvidence {
  resourceId: string;
  /** "cpu", "memory", "queue", "pool". */
  kind: string;
  /** Mean of the last 5 minutes, p95 and peak over the window; absent for queues (no capacity). */
  utilization?: number;
  p95?: number;
  peak?: number;
  instances: number;
  correlation: { with: "latency" | "error rate"; r: number; n: number };
  threshold: number;
  metric: string;
  /** Used by two services or more. */
  shared: boolean;
  queue?: { depth: number; growthPerS: number | null };
  /** Per minute: utilization (queue depth for queues) and the service's latency. */
  chart: { utilization: TimePoint[]; latencyMs: TimePoint[] };
}

export interface BottlenecksResponse {
  window: string;
  from: number;
  to: number;
  findings: Finding[];
}

export const FINDING_KIND_LABELS: Record<string, string> = {
  latency_regression: "Latency regression",
  error_spike: "Error spike",
  critical_path_hotspot: "Critical-path hotspot",
  slow_operation: "Slow operation",
  n_plus_one: "N+1 calls",
  sequential_calls: "Sequential calls",
  saturation: "Saturation",
  error_budget_burn: "Error budget burn",
};

export function findingKindLabel(kind: string): string {
  return FINDING_KIND_LABELS[kind] ?? kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/**
 * User time lost, in words: "850 ms", "12 s", "42 min", "3.5 h". Whole units where the figure is
 * large enough that decimals would be false precision.
 */
export function formatLostTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? trim(s.toFixed(1)) : Math.round(s)} s`;
  const min = s / 60;
  if (min < 60) return `${min < 10 ? trim(min.toFixed(1)) : Math.round(min)} min`;
  const h = min / 60;
  return `${h < 10 ? trim(h.toFixed(1)) : Math.round(h).toLocaleString("en-US")} h`;
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** "the previous hour" for the window before a 1h window, and so on. */
export const PREVIOUS_WINDOW_LABELS: Record<string, string> = {
  "15m": "the previous 15 minutes",
  "1h": "the previous hour",
  "6h": "the previous 6 hours",
  "24h": "the previous 24 hours",
};
