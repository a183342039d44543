import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { SpanRecord } from "./span-record";

const tracer = trace.getTracer("pinchpoint.ingest");

/** The queue cannot take a request now; the client should retry after `retryAfterSeconds`. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number, reason = "ingest queue is full") {
    super(`${reason}; retry after ${retryAfterSeconds} s`);
  }
}

/** The store did not take the batch; nothing in it was acknowledged. */
export class StoreWriteError extends Error {}

interface Pending<T> { items: T[]; weight: number; resolve: () => void; reject: (err: Error) => void }

/** Sizes count spans for the trace queue and samples for the metrics queue (see `weigh`). */
export interface IngestQueueOptions<T> {
  /** Most units waiting to be written; beyond it requests are refused with QueueFullError. */
  capacity: number;
  /** Units per store transaction (requests are never split across transactions). */
  batchSize: number;
  retryAfterSeconds: number;
  /** How many units an item counts for; 1 by default (a span). */
  weigh?: (item: T) => number;
}

/**
 * A bounded in-memory queue in front of the store. `enqueue` resolves only once the spans are
 * committed, so an acknowledged request is never lost; when full it refuses at once, which keeps
 * memory bounded and pushes back on clients (429 + Retry-After).
 */
export class IngestQueue<T = SpanRecord> {
  private pending: Pending<T>[] = [];
  private depthUnits = 0;
  private writing = false;

  constructor(private readonly write: (items: T[]) => Promise<void>, private readonly opts: IngestQueueOptions<T>) {}

  get depth(): number { return this.depthUnits; }
  get capacity(): number { return this.opts.capacity; }

  /** Throws QueueFullError when nothing more fits: lets a caller refuse before reading a body. */
  assertRoom(): void {
    this.assertRoomFor(1);
  }

  /** Throws QueueFullError unless `weight` more units fit now. */
  assertRoomFor(weight: number): void {
    if (this.depthUnits + weight > this.opts.capacity) throw new QueueFullError(this.opts.retryAfterSeconds);
  }

  enqueue(items: T[]): Promise<void> {
    const weigh = this.opts.weigh;
    let weight = items.length;
    if (weigh) { weight = 0; for (const item of items) weight += weigh(item); }
    if (weight === 0) return Promise.resolve();
    if (this.depthUnits + weight > this.opts.capacity) return Promise.reject(new QueueFullError(this.opts.retryAfterSeconds));
    this.depthUnits += weight;
    const done = new Promise<void>((resolve, reject) => this.pending.push({ items, weight, resolve, reject }));
    if (!this.writing) void this.drain();
    return done;
  }

  /** Resolves when everything queued so far has been written (or refused by the store). */
  async flushed(): Promise<void> {
    while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch: Pending<T>[] = [];
        let n = 0;
        while (this.pending.length > 0 && (n === 0 || n + this.pending[0].weight <= this.opts.batchSize)) {
          const p = this.pending.shift()!;
          batch.push(p);
          n += p.weight;
        }
        const items = batch.length === 1 ? batch[0].items : batch.flatMap((p) => p.items);
        await tracer.startActiveSpan("ingest.write_batch", { attributes: { "pinchpoint.units": n, "pinchpoint.requests": batch.length } }, async (span) => {
          try {
            await this.write(items);
            for (const p of batch) p.resolve();
          } catch (err) {
            const e = new StoreWriteError(`store write failed: ${(err as Error).message}`);
            span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
            for (const p of batch) p.reject(e);
          } finally {
            this.depthUnits -= n;
            span.end();
          }
        });
      }
    } finally {
      this.writing = false;
    }
  }
}
