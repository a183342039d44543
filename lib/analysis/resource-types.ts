import type { Point } from "./correlation";

/**
 * The resource side (USE: utilization, saturation) as the analysis sees it, independent of how
 * metrics were stored: series descriptions in, per-minute statistics in, measurements out.
 */

/** A stored metric series. */
export interface SeriesInfo { key: number; name: string; labels: Record<string, string>; type: string }

/**
 * One series over one minute (t = epoch ms of the minute's start), from the minute rollups:
 * `avg`/`max`/`last` of the raw values, and for counters `rate` = increase per second since the
 * previous minute's last sample (counter resets handled), undefined for the first minute.
 */
export interface MinuteStat { t: number; avg: number; max: number; last: number; rate?: number }

export type ResourceKind = "cpu" | "memory" | "queue" | "pool";

/** A user's mapping (the resource_mappings table): overrides or adds to what is discovered. */
export interface ResourceMappingDef {
  id: string;
  name: string;
  kind: ResourceKind;
  services: string[];
  usageMetric: string;
  usageLabels: Record<string, string>;
  capacityMetric?: string;
  capacityLabels: Record<string, string>;
  capacityConstant?: number;
}

/**
 * How to measure one resource: per instance, which series sum up to its usage and to its
 * capacity. `rate` series are counters (usage = per-second increase, e.g. CPU seconds → cores);
 * `gauge` series are read as they are.
 */
export interface SeriesSum {
  keys: number[];
  read: "rate" | "gauge";
  /** multiply the sum, e.g. 1/period */ scale?: number;
  /** Added for host memory (MemTotal − MemAvailable): subtracted from the sum, minute by minute. */
  minus?: SeriesSum;
  /** Added for CFS quotas (quota / period, both gauges): the sum is divided by this one, minute by minute. */
  divideBy?: SeriesSum;
}

export interface ResourcePlan {
  /** Stable across refreshes, e.g. "cpu:checkout" or "mapping:<id>". */
  id: string;
  /** In words, e.g. "CPU of checkout" or "PostgreSQL connections". */
  name: string;
  kind: ResourceKind;
  /** Services using it; more than one makes it shared (scaling one of them will not help it). */
  services: string[];
  source: "discovered" | "mapping";
  /** The metric it was found from, for the evidence ("process_cpu_seconds_total vs container_spec_cpu_quota"). */
  metric: string;
  instances: {
    instance: string;
    usage: SeriesSum;
    /** Missing: the capacity is unknown (queues have none; utilization is then undefined). */
    capacity?: SeriesSum | { constant: number };
  }[];
  /** Queues: counters of arrivals and completions, and the worker count, when found. */
  queue?: { arrivals?: SeriesSum; completions?: SeriesSum; workers?: SeriesSum };
}

export type { Point };

export interface ResourceMeasurement {
  plan: ResourcePlan;
  /** Instances reporting in the window (for services: the current replica count). */
  instances: number;
  /** Utilization (usage / capacity, 0..1+) per minute: the mean across instances; undefined without capacity. */
  utilization?: Point[];
  /** The busiest instance per minute. */
  maxUtilization?: Point[];
  /** Usage per minute summed across instances (cores, bytes, messages, connections). */
  usage: Point[];
  /** Capacity per minute summed across instances. */
  capacity?: Point[];
  /** Mean utilization over the last 5 minutes of the window, and its p95 and peak over the window. */
  current?: number;
  p95?: number;
  peak?: number;
  /** Per-instance usage samples over the window (for vertical sizing: p95/p99 of usage). */
  usagePerInstance: number[];
  /** Queues: depth now, growth in items per second (least squares over the window), arrival and completion rates (/s), workers. */
  queue?: { depth: number; growthPerS: number | null; arrivalPerS?: number; completionPerS?: number; workers?: number };
}
