// Worker thread: moves the SQLite write-ahead log into the database file every half second.
// Left to the writer, each checkpoint (and its fsyncs) would stall ingest; here it runs beside it.
import { workerData } from "node:worker_threads";
import { openSqlite } from "../store/sql";

const { db } = openSqlite((workerData as { path: string }).path);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  // PASSIVE never blocks the writer: it copies what it can and tries again next round.
  db.pragma("wal_checkpoint(PASSIVE)");
  Atomics.wait(pause, 0, 0, 500);
}
