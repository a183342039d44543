// Worker thread: trace completion for a SQLite store, on its own connection. Its reads (the spans
// of each quiet trace) and its analysis run beside the ingest writes instead of between them.
import { workerData } from "node:worker_threads";
import { openSqlite } from "../store/sql";
import { startTraceCompletion } from "./trace-completion";

const { path, traceQuietMs } = workerData as { path: string; traceQuietMs: number };
startTraceCompletion(openSqlite(path), traceQuietMs);
