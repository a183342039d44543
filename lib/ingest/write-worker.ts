// Worker thread: writes span and sample batches into the SQLite store, so the collector's main
// thread keeps reading and decoding requests on the other core while a transaction runs. One
// thread for both: SQLite takes one writer at a time anyway.
import { parentPort, workerData } from "node:worker_threads";
import { sqliteSampleWriter } from "../store/sample-writer";
import { sqliteSpanWriter } from "../store/span-writer";
import { openSqlite } from "../store/sql";
import { rollupsOf } from "./rollups";
import type { MetricWrite } from "./sample-batch";
import type { SpanRecord } from "./span-record";

export type WriteRequest = { id: number; spans: SpanRecord[]; receivedMs: number } | { id: number; samples: MetricWrite[]; receivedMs: number };
export type WriteReply = { id: number; inserted: number } | { id: number; error: string };

const { path } = workerData as { path: string };
// 64 MiB of page cache: the span index takes inserts all over the current minute's range.
const sql = openSqlite(path, 64);
// checkpoint-worker.ts checkpoints; the writer only does so itself if the log grows past 256 MiB.
sql.db.pragma("wal_autocheckpoint = 65536");
const spans = sqliteSpanWriter(sql);
const samples = sqliteSampleWriter(sql);
parentPort!.on("message", (req: WriteRequest) => {
  const written = "spans" in req ? spans.write(req.spans, req.receivedMs, rollupsOf) : samples.write(req.samples, req.receivedMs);
  written.then(
    (inserted) => parentPort!.postMessage({ id: req.id, inserted } satisfies WriteReply),
    (err: Error) => parentPort!.postMessage({ id: req.id, error: err.message } satisfies WriteReply),
  );
});
