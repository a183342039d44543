/** What one ingest batch adds to one minute rollup; rows are added to the stored ones. */
export interface RollupDelta {
  minute: number;
  service: string;
  operation: string;
  kind: number;
  /** 1 for spans through which requests enter the service (server, consumer, or trace roots). */
  entry: number;
  count: number;
  errors: number;
  sumMs: number;
  /** Histogram bucket index → count. */
  buckets: Map<number, number>;
}
