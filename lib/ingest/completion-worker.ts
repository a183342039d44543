// Worker thread: trace completion and metric rollups for a SQLite store, on its own connection.
// Their reads and analysis run beside the ingest writes instead of blocking the main thread.
import { workerData } from "node:worker_threads";
import { startMetricRollups } from "../store/metric-rollups";
import { openSqlite } from "../store/sql";
import { startTraceCompletion } from "./trace-completion";

const { path, traceQuietMs } = workerData as { path: string; traceQuietMs: number };
const sql = openSqlite(path);
startTraceCompletion(sql, traceQuietMs);
startMetricRollups(sql);
