import type { MetricMetadata } from "../../collectors/prometheus/series";
import type { Sql } from "../store/sql";
import { IngestQueue } from "./queue";
import { type KeyedSamples, type MetricWrite, type SampleColumns, SeriesRegistry, type SeriesToAdmit, isBlock, samplesIn, shapeId, withSamples } from "./sample-batch";

export interface MetricsIngestOptions { maxSeries: number; capacity: number; batchSize: number; retryAfterSeconds: number }

/**
 * A new series' row counts as this many samples in the queue: it takes about 16 times a sample's
 * 24 bytes in each thread that holds it. Hundreds of targets added at once would otherwise queue
 * their series rows as if they were samples and raise the collector's memory by a gigabyte.
 */
const SERIES_ROW_WEIGHT = 16;

/**
 * What a write weighs in the queue. Its series rows never take it past the whole queue, so that a
 * request that fits in samples is not refused for its new series.
 */
const weight = (capacity: number, samples: number, seriesRows: number) =>
  Math.max(1, Math.min(samples + SERIES_ROW_WEIGHT * seriesRows, Math.max(samples, capacity)));

export interface IngestResult { samples: number; droppedSeries: number; droppedSamples: number }

/** The metrics side of the collector: series limit, bounded queue, store writes. Shared by remote_write and scraping. */
export class MetricsIngest {
  /** Key columns (a scrape shape's, reused scrape after scrape) whose series are all stored, with their shape's id. */
  private readonly held = new WeakMap<Float64Array, number>();
  /** @param storedShapes shapes written by this process: their blocks need not carry the keys again. */
  private constructor(readonly registry: SeriesRegistry, readonly queue: IngestQueue<MetricWrite>, private readonly storedShapes: Set<number>) {}

  static async start(sql: Sql, write: (batches: MetricWrite[], nowMs: number) => Promise<number>, opts: MetricsIngestOptions): Promise<MetricsIngest> {
    // pg returns bigint columns as strings; both stores' keys fit a double exactly (52 bits).
    const stored = (await sql.query<{ key: number | string }>(`SELECT key FROM metric_series`)).map((r) => Number(r.key));
    const registry = new SeriesRegistry(opts.maxSeries, stored);
    const storedShapes = new Set<number>();
    const queue = new IngestQueue<MetricWrite>(async (batches) => {
      try {
        await write(batches, Date.now());
      } catch (err) {
        for (const b of batches) if (!isBlock(b)) registry.forget(b.series);
        throw err;
      }
      for (const b of batches) {
        if (isBlock(b)) storedShapes.add(b.shape);
        else registry.committed(b.series);
      }
    }, {
      capacity: opts.capacity, batchSize: opts.batchSize, retryAfterSeconds: opts.retryAfterSeconds,
      weigh: (b) => weight(opts.capacity, samplesIn(b), isBlock(b) ? 0 : b.series.length),
    });
    return new MetricsIngest(registry, queue, storedShapes);
  }

  /**
   * Resolves once the admitted samples, and the `stored` ones of series the store holds, are
   * committed; throws QueueFullError / StoreWriteError like the trace queue.
   */
  async ingest(series: SeriesToAdmit[], metadata: Map<string, MetricMetadata>, stored?: KeyedSamples): Promise<IngestResult> {
    // Refused before admission, so that a request turned away does not use up the series limit (nor
    // leave its series known without their rows on the way). As if every series were new: at most
    // a few are not, and they are not stored yet.
    let total = stored?.keys.length ?? 0;
    for (const s of series) total += s.values.length;
    this.queue.assertRoomFor(weight(this.queue.capacity, total, series.length));
    const { batch, droppedSeries, droppedSamples } = this.registry.admit(series, metadata);
    // One write, so that the queue weighs the request's new series rows once.
    const write = stored === undefined ? batch : withSamples(batch, stored);
    if (write.keys.length > 0) await this.queue.enqueue([write]);
    return { samples: total - droppedSamples, droppedSeries, droppedSamples };
  }

  /**
   * Samples of series the store already holds or is about to, one each at `ts` (a repeated scrape),
   * stored as one block of their shape: no objects and no admission. Undefined when a series is
   * new; then `ingest` admits them. Throws QueueFullError when they do not fit.
   */
  async ingestColumns(c: SampleColumns): Promise<IngestResult | undefined> {
    let shape = this.held.get(c.keys);
    if (shape === undefined) {
      // Stored series stay stored: this set of keys need not be looked up (or hashed) again.
      if (this.registry.holds(c.keys)) this.held.set(c.keys, (shape = shapeId(c.keys)));
      // Their rows are queued (a target's first scrape, not committed yet): this block is written
      // after them. Looked up again next time, as that write may still fail.
      else if (this.registry.knows(c.keys)) shape = shapeId(c.keys);
      else {
        // Refused here, as `ingest` would refuse it, before the caller builds series objects for it.
        this.queue.assertRoomFor(weight(this.queue.capacity, c.keys.length, c.keys.length));
        return undefined;
      }
    }
    const n = c.keys.length;
    await this.queue.enqueue([{ shape, keys: this.storedShapes.has(shape) ? undefined : c.keys, ts: c.ts, values: c.values }]);
    return { samples: n, droppedSeries: 0, droppedSamples: 0 };
  }

  /** The sentence a client gets when the series limit dropped some of its samples. */
  limitMessage(r: IngestResult): string {
    return `series limit of ${this.registry.maxSeries} reached (PINCHPOINT_MAX_SERIES): ${r.droppedSeries} new series and their ${r.droppedSamples} samples were dropped; ` +
      `the other ${r.samples} samples were stored`;
  }
}
