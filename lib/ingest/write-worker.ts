// Worker thread: writes span batches into the SQLite store, so the collector's main thread keeps
// reading and decoding requests on the other core while a transaction runs.
import { parentPort, workerData } from "node:worker_threads";
import { sqliteSpanWriter } from "../store/span-writer";
import { openSqlite } from "../store/sql";
import { rollupsOf } from "./rollups";
import type { SpanRecord } from "./span-record";

export interface WriteRequest { id: number; spans: SpanRecord[]; receivedMs: number }
export type WriteReply = { id: number; inserted: number } | { id: number; error: string };

const { path } = workerData as { path: string };
// 64 MiB of page cache: the span index takes inserts all over the current minute's range.
const sql = openSqlite(path, 64);
// checkpoint-worker.ts checkpoints; the writer only does so itself if the log grows past 256 MiB.
sql.db.pragma("wal_autocheckpoint = 65536");
const writer = sqliteSpanWriter(sql);
parentPort!.on("message", (req: WriteRequest) => {
  writer.write(req.spans, req.receivedMs, rollupsOf).then(
    (inserted) => parentPort!.postMessage({ id: req.id, inserted } satisfies WriteReply),
    (err: Error) => parentPort!.postMessage({ id: req.id, error: err.message } satisfies WriteReply),
  );
});
