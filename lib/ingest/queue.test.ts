import { describe, expect, it } from "vitest";
import { IngestQueue, QueueFullError, StoreWriteError } from "./queue";
import type { SpanRecord } from "./span-record";

const spans = (n: number) => Array.from({ length: n }, (_, i) => ({ spanId: String(i) }) as SpanRecord);

/** A store write the test finishes by hand, to hold the queue in a known state. */
function gatedWriter() {
  const batches: number[] = [];
  let open: () => void = () => {};
  let fail = false;
  const write = (s: SpanRecord[]) => {
    batches.push(s.length);
    return new Promise<void>((resolve, reject) => { open = () => (fail ? reject(new Error("disk full")) : resolve()); });
  };
  return { write, batches, release: () => open(), failNext: () => (fail = true) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("IngestQueue", () => {
  it("acknowledges a request only once its spans are written", async () => {
    const w = gatedWriter();
    const q = new IngestQueue(w.write, { capacity: 100, batchSize: 50, retryAfterSeconds: 2 });
    let done = false;
    const p = q.enqueue(spans(10)).then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    expect(q.depth).toBe(10);
    w.release();
    await p;
    expect(done).toBe(true);
    expect(q.depth).toBe(0);
  });

  it("refuses with the configured Retry-After when the spans would not fit, and accepts again once drained", async () => {
    const w = gatedWriter();
    const q = new IngestQueue(w.write, { capacity: 100, batchSize: 50, retryAfterSeconds: 2 });
    const first = q.enqueue(spans(60));
    const second = q.enqueue(spans(40));
    await expect(q.enqueue(spans(1))).rejects.toEqual(new QueueFullError(2));
    expect(() => q.assertRoom()).toThrow(QueueFullError);
    w.release();
    await first;
    await tick();
    w.release();
    await second;
    await expect(Promise.race([q.enqueue(spans(1)).then(() => "written"), tick().then(() => "queued")])).resolves.toBe("queued");
    w.release();
  });

  it("groups waiting requests into one batch up to the batch size, never splitting a request", async () => {
    const w = gatedWriter();
    const q = new IngestQueue(w.write, { capacity: 1000, batchSize: 50, retryAfterSeconds: 1 });
    const all = [q.enqueue(spans(5)), q.enqueue(spans(20)), q.enqueue(spans(20)), q.enqueue(spans(20)), q.enqueue(spans(70))];
    for (let i = 0; i < 4; i++) { await tick(); w.release(); }
    await Promise.all(all);
    expect(w.batches).toEqual([5, 40, 20, 70]);
  });

  it("rejects every request of a failed batch with StoreWriteError and keeps going", async () => {
    const w = gatedWriter();
    const q = new IngestQueue(w.write, { capacity: 1000, batchSize: 50, retryAfterSeconds: 1 });
    w.failNext();
    const failed = q.enqueue(spans(3));
    await tick();
    w.release();
    await expect(failed).rejects.toBeInstanceOf(StoreWriteError);
    expect(q.depth).toBe(0);
  });

  it("weighs items, so a batch of samples counts its samples against the capacity", async () => {
    const written: number[][] = [];
    const q = new IngestQueue<number[]>(async (items) => { written.push(items.map((i) => i.length)); }, {
      capacity: 10, batchSize: 6, retryAfterSeconds: 1, weigh: (i) => i.length,
    });
    await expect(q.enqueue([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]])).rejects.toBeInstanceOf(QueueFullError);
    await Promise.all([q.enqueue([[1, 2, 3, 4]]), q.enqueue([[1, 2]]), q.enqueue([[1, 2, 3]])]);
    expect(written).toEqual([[4], [2, 3]]); // 4 alone, then 2 + 3 within the batch size of 6
    expect(q.depth).toBe(0);
  });
});
