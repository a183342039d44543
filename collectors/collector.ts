import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startAlerting } from "../lib/alerts/jobs";
import type { Config } from "../lib/config";
import { IngestQueue } from "../lib/ingest/queue";
import { rollupsOf } from "../lib/ingest/rollups";
import type { SpanRecord } from "../lib/ingest/span-record";
import { startSqliteWriteThread } from "../lib/ingest/sqlite-write-thread";
import { startTraceCompletion } from "../lib/ingest/trace-completion";
import { storeTarget } from "../lib/store/database-url";
import { applyRetention, startLeasedJob } from "../lib/store/housekeeping";
import { migrate } from "../lib/store/migrate";
import { MetricsIngest } from "../lib/ingest/metrics-ingest";
import { startMetricRollups } from "../lib/store/metric-rollups";
import { postgresSampleWriter } from "../lib/store/sample-writer";
import { postgresSpanWriter } from "../lib/store/span-writer";
import { startScraping } from "./prometheus/scrape-manager";
import { openSql } from "../lib/store/sql";
import { createCollectorServer } from "./server";

const HOUR_MS = 3_600_000;
const RETENTION_EVERY_MS = 5 * 60_000;

export interface RunningCollector { port: number; queue: IngestQueue; stop(): Promise<void> }

/**
 * Opens the store (applying pending migrations), starts the ingest queue, the HTTP server and
 * the periodic jobs. `stop` stops taking requests, writes what was accepted, then closes.
 */
export async function startCollector(config: Config): Promise<RunningCollector> {
  const sql = await openSql(storeTarget(config.databaseUrl));
  await migrate(sql);
  // SQLite writes run on their own thread; PostgreSQL writes are already off-thread in the server.
  const traceQuietMs = config.traceQuietSeconds * 1000;
  // Trace completion runs beside the writes: in the SQLite write thread, or here for PostgreSQL.
  const thread = sql.kind === "sqlite" ? startSqliteWriteThread(sql.path, traceQuietMs) : undefined;
  const stopCompletion = sql.kind === "postgresql" ? startTraceCompletion(sql, traceQuietMs) : undefined;
  const pgWriter = sql.kind === "postgresql" ? postgresSpanWriter(sql) : undefined;
  const write = thread ? (spans: SpanRecord[]) => thread.write(spans, Date.now()) : (spans: SpanRecord[]) => pgWriter!.write(spans, Date.now(), rollupsOf);
  const queue = new IngestQueue(async (spans) => { await write(spans); }, {
    capacity: config.queueCapacitySpans, batchSize: config.batchSpans, retryAfterSeconds: config.retryAfterSeconds,
  });
  const pgSamples = sql.kind === "postgresql" ? postgresSampleWriter(sql) : undefined;
  const metrics = await MetricsIngest.start(sql, (batches, nowMs) => (thread ? thread.writeSamples(batches, nowMs) : pgSamples!.write(batches, nowMs)), {
    maxSeries: config.maxSeries, capacity: config.metricsQueueCapacity, batchSize: config.metricsBatchSamples, retryAfterSeconds: config.retryAfterSeconds,
  });
  const server = createCollectorServer(queue, config, metrics);
  await listen(server, config.collectorPort, config.listenHost);

  const holder = randomUUID();
  const stopScraping = await startScraping(sql, metrics, { configFile: config.scrapeConfigFile, concurrency: config.scrapeConcurrency, holder, maxBodyBytes: config.maxBodyBytes, maxLabelValueLength: config.maxAttributeValueLength });
  // On SQLite the metric rollups run on the completion thread (see completion-worker.ts).
  const stopRollups = sql.kind === "postgresql" ? startMetricRollups(sql) : undefined;
  const stopRetention = startLeasedJob(sql, "retention", { everyMs: RETENTION_EVERY_MS, leaseMs: RETENTION_EVERY_MS },
    () => applyRetention(sql, config.spanRetentionHours * HOUR_MS, config.rollupRetentionDays * 24 * HOUR_MS, config.sampleRetentionHours * HOUR_MS));
  const stopAlerting = startAlerting(sql, { evaluationEveryMs: config.alertEvaluationSeconds * 1000, publicUrl: config.publicUrl });

  return {
    port: (server.address() as AddressInfo).port,
    queue,
    async stop() {
      stopRetention();
      stopRollups?.();
      stopAlerting();
      stopScraping();
      stopCompletion?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all([queue.flushed(), metrics.queue.flushed()]);
      await closed;
      await thread?.close();
      await sql.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
}
