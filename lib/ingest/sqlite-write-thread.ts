import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { MetricWrite } from "./sample-batch";
import type { SpanRecord } from "./span-record";
import type { WriteReply, WriteRequest } from "./write-worker";

export interface WriteThread {
  /** Resolves with the number of new spans once the batch is committed. */
  write(spans: SpanRecord[], receivedMs: number): Promise<number>;
  /** Resolves with the number of new samples once the batches are committed. */
  writeSamples(batches: MetricWrite[], receivedMs: number): Promise<number>;
  close(): Promise<void>;
}

/** The workers are TypeScript: they load through tsx's require hook, however this process was started. */
function startTsWorker(file: string, workerData: object): Worker {
  return new Worker(`require("tsx/cjs"); require(${JSON.stringify(join(__dirname, file))});`, { eval: true, workerData });
}

/**
 * Runs SQLite ingest writes on a worker thread (better-sqlite3 is synchronous: on the main thread
 * every transaction would stop the collector from reading requests). If the thread dies, pending
 * and later writes fail, so requests get 503 and clients retry instead of waiting forever.
 */
export function startSqliteWriteThread(path: string, traceQuietMs: number): WriteThread {
  const worker = startTsWorker("write-worker.ts", { path });
  const helpers = [startTsWorker("checkpoint-worker.ts", { path }), startTsWorker("completion-worker.ts", { path, traceQuietMs })];
  for (const h of helpers) h.on("error", (err) => console.error(`store thread failed: ${err.message}`));
  const pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | undefined;
  worker.on("message", (reply: WriteReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if ("error" in reply) p?.reject(new Error(reply.error));
    else p?.resolve(reply.inserted);
  });
  const fail = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on("error", (err) => {
    console.error(`store write thread failed: ${err.message}`);
    fail(err);
  });
  worker.on("exit", (code) => fail(new Error(`store write thread exited (code ${code})`)));
  const send = (request: WriteRequest) => {
    if (dead) return Promise.reject(dead);
    return new Promise<number>((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  };
  return {
    write: (spans, receivedMs) => send({ id: ++nextId, spans, receivedMs }),
    writeSamples: (samples, receivedMs) => send({ id: ++nextId, samples, receivedMs }),
    async close() {
      await Promise.all([worker, ...helpers].map((w) => w.terminate()));
    },
  };
}
