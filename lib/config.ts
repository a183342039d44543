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
  spanRetentionHours: number;
  traceQuietSeconds: number;
  rollupRetentionDays: number;
  selfTelemetryEndpoint: string | undefined;
  alertEvaluationSeconds: number;
  publicUrl: string;
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
    spanRetentionHours: intSetting(env, "PINCHPOINT_SPAN_RETENTION_HOURS", 24),
    traceQuietSeconds: intSetting(env, "PINCHPOINT_TRACE_QUIET_SECONDS", 10),
    rollupRetentionDays: intSetting(env, "PINCHPOINT_ROLLUP_RETENTION_DAYS", 400),
    selfTelemetryEndpoint: env.PINCHPOINT_SELF_TELEMETRY_ENDPOINT || undefined,
    alertEvaluationSeconds: intSetting(env, "PINCHPOINT_ALERT_EVALUATION_SECONDS", 30),
    // Alert messages link here; behind a proxy or on another host, set it to the address people open.
    publicUrl: env.PINCHPOINT_PUBLIC_URL || `http://localhost:${intSetting(env, "PORT", 3000)}`,
  };
  // A request larger than the whole queue could never be accepted.
  if (c.maxSpansPerRequest > c.queueCapacitySpans) {
    throw new Error(`PINCHPOINT_MAX_SPANS_PER_REQUEST (${c.maxSpansPerRequest}) must not exceed PINCHPOINT_QUEUE_CAPACITY (${c.queueCapacitySpans})`);
  }
  return c;
}
