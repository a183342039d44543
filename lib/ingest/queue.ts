import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { SpanRecord } from "./span-record";

const tracer = trace.getTracer("pinchpoint.ingest");

/** The queue cannot take a request now; the client should retry after `retryAfterSeconds`. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`ingest queue is full; retry after ${retryAfterSeconds} s`);
  }
}

/** The store did not take the batch; nothing in it was acknowledged. */
export class StoreWriteError extends Error {}

interface Pending { spans: SpanRecord[]; resolve: () => void; reject: (err: Error) => void }

export interface IngestQueueOptions {
  /** Most spans waiting to be written; beyond it requests are refused with QueueFullError. */
  capacitySpans: number;
  /** Spans per store transaction (requests are never split across transactions). */
  batchSpans: number;
  retryAfterSeconds: number;
}

/**
 * A bounded in-memory queue in front of the store. `enqueue` resolves only once the spans are
 * committed, so an acknowledged request is never lost; when full it refuses at once, which keeps
 * memory bounded and pushes back on clients (429 + Retry-After).
 */
export class IngestQueue {
  private pending: Pending[] = [];
  private depthSpans = 0;
  private writing = false;

  constructor(private readonly write: (spans: SpanRecord[]) => Promise<void>, private readonly opts: IngestQueueOptions) {}

  get depth(): number { return this.depthSpans; }
  get capacity(): number { return this.opts.capacitySpans; }

  /** Throws QueueFullError when nothing more fits: lets a caller refuse before reading a body. */
  assertRoom(): void {
    if (this.depthSpans >= this.opts.capacitySpans) throw new QueueFullError(this.opts.retryAfterSeconds);
  }

  enqueue(spans: SpanRecord[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    if (this.depthSpans + spans.length > this.opts.capacitySpans) return Promise.reject(new QueueFullError(this.opts.retryAfterSeconds));
    this.depthSpans += spans.length;
    const done = new Promise<void>((resolve, reject) => this.pending.push({ spans, resolve, reject }));
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
        const batch: Pending[] = [];
        let n = 0;
        while (this.pending.length > 0 && (n === 0 || n + this.pending[0].spans.length <= this.opts.batchSpans)) {
          const p = this.pending.shift()!;
          batch.push(p);
          n += p.spans.length;
        }
        const spans = batch.length === 1 ? batch[0].spans : batch.flatMap((p) => p.spans);
        await tracer.startActiveSpan("ingest.write_batch", { attributes: { "pinchpoint.spans": n, "pinchpoint.requests": batch.length } }, async (span) => {
          try {
            await this.write(spans);
            for (const p of batch) p.resolve();
          } catch (err) {
            const e = new StoreWriteError(`store write failed: ${(err as Error).message}`);
            span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
            for (const p of batch) p.reject(e);
          } finally {
            this.depthSpans -= n;
            span.end();
          }
        });
      }
    } finally {
      this.writing = false;
    }
  }
}
