/**
 * What the Prometheus decoders (text exposition, OpenMetrics, remote_write) produce: samples
 * grouped by series, ready for the metrics store.
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped" | "gaugehistogram" | "info" | "stateset" | "unknown";

export interface SeriesSamples {
  /** The metric name (the `__name__` label), e.g. "node_cpu_seconds_total" or "http_request_duration_seconds_bucket". */
  name: string;
  /** Every other label, sorted by label name; no `__name__`. */
  labels: [string, string][];
  /** Epoch milliseconds, one per value. */
  timestamps: number[];
  values: number[];
  /** The canonical `name{labels}` text, when the decoder has it at no cost: a cache key for repeated scrapes. */
  text?: string;
}

/** The family a series belongs to (`# TYPE` / remote_write metadata), by family name. */
export interface MetricMetadata { type: MetricType; help?: string; unit?: string }
