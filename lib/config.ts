/**
 * Every setting, read from the environment once, with its default. README.md lists them;
 * keep the two in step.
 */
type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  collectorPort: number;
  listenHost: string;
  databaseUrl: string | undefined;
  ingestToken: string | undefined;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxSpansPerRequest: number;
  maxAttributeValueLength: number;
  queueCapacitySpans: number;
  batchSpans: number;
  retryAfterSeconds: number;
  maxConcurrentRequests: number;
  spanRetentionHours: number;
  traceQuietSeconds: number;
  rollupRetentionDays: number;
  selfTelemetryEndpoint: string | undefined;
  alertEvaluationSeconds: number;
  publicUrl: string;
  sampleRetentionHours: number;
  maxSeries: number;
  metricsQueueCapacity: number;
  metricsBatchSamples: number;
  scrapeConfigFile: string | undefined;
  scrapeConcurrency: number;
  scalingTargetPercent: number;
  scalingMinReplicas: number;
  scalingMaxReplicas: number;
}

function intSetting(env: Env, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

export function loadConfig(env: Env = process.env): Config {
  const c: Config = {
    port: intSetting(env, "PORT", 3000),
    collectorPort: intSetting(env, "COLLECTOR_PORT", 4318),
    listenHost: env.PINCHPOINT_LISTEN_HOST || "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    ingestToken: env.PINCHPOINT_INGEST_TOKEN || undefined,
    maxBodyBytes: intSetting(env, "PINCHPOINT_MAX_BODY_BYTES", 16 * 1024 * 1024),
    maxDecompressedBytes: intSetting(env, "PINCHPOINT_MAX_DECOMPRESSED_BYTES", 64 * 1024 * 1024),
    maxSpansPerRequest: intSetting(env, "PINCHPOINT_MAX_SPANS_PER_REQUEST", 20_000),
    maxAttributeValueLength: intSetting(env, "PINCHPOINT_MAX_ATTRIBUTE_LENGTH", 4096),
    queueCapacitySpans: intSetting(env, "PINCHPOINT_QUEUE_CAPACITY", 20_000),
    batchSpans: intSetting(env, "PINCHPOINT_BATCH_SPANS", 10_000),
    retryAfterSeconds: intSetting(env, "PINCHPOINT_RETRY_AFTER_SECONDS", 1),
    maxConcurrentRequests: intSetting(env, "PINCHPOINT_MAX_CONCURRENT_REQUESTS", 16),
    spanRetentionHours: intSetting(env, "PINCHPOINT_SPAN_RETENTION_HOURS", 24),
    traceQuietSeconds: intSetting(env, "PINCHPOINT_TRACE_QUIET_SECONDS", 10),
    rollupRetentionDays: intSetting(env, "PINCHPOINT_ROLLUP_RETENTION_DAYS", 400),
    selfTelemetryEndpoint: env.PINCHPOINT_SELF_TELEMETRY_ENDPOINT || undefined,
    alertEvaluationSeconds: intSetting(env, "PINCHPOINT_ALERT_EVALUATION_SECONDS", 30),
    // Alert messages link here; behind a proxy or on another host, set it to the address people open.
    publicUrl: env.PINCHPOINT_PUBLIC_URL || `http://localhost:${intSetting(env, "PORT", 3000)}`,
    sampleRetentionHours: intSetting(env, "PINCHPOINT_SAMPLE_RETENTION_HOURS", 48),
    maxSeries: intSetting(env, "PINCHPOINT_MAX_SERIES", 100_000),
    metricsQueueCapacity: intSetting(env, "PINCHPOINT_METRICS_QUEUE_CAPACITY", 1_500_000),
    metricsBatchSamples: intSetting(env, "PINCHPOINT_METRICS_BATCH_SAMPLES", 500_000),
    scrapeConfigFile: env.PINCHPOINT_SCRAPE_CONFIG || undefined,
    scrapeConcurrency: intSetting(env, "PINCHPOINT_SCRAPE_CONCURRENCY", 128),
    // The HPA policy recommendations are computed for (and written into their manifests).
    scalingTargetPercent: intSetting(env, "PINCHPOINT_SCALING_TARGET_PERCENT", 70),
    scalingMinReplicas: intSetting(env, "PINCHPOINT_SCALING_MIN_REPLICAS", 1),
    scalingMaxReplicas: intSetting(env, "PINCHPOINT_SCALING_MAX_REPLICAS", 10),
  };
  if (c.scalingMinReplicas > c.scalingMaxReplicas) {
    throw new Error(`PINCHPOINT_SCALING_MIN_REPLICAS (${c.scalingMinReplicas}) must not exceed PINCHPOINT_SCALING_MAX_REPLICAS (${c.scalingMaxReplicas})`);
  }
  // A request larger than the whole queue could never be accepted.
  if (c.maxSpansPerRequest > c.queueCapacitySpans) {
    throw new Error(`PINCHPOINT_MAX_SPANS_PER_REQUEST (${c.maxSpansPerRequest}) must not exceed PINCHPOINT_QUEUE_CAPACITY (${c.queueCapacitySpans})`);
  }
  return c;
}
