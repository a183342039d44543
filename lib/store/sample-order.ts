import type { SampleBatch } from "../ingest/sample-batch";
import { minuteOf } from "./span-keys";

/** Samples in columns, in store order. */
export type SampleColumnsInOrder = Omit<SampleBatch, "series">;

const KEY_BUCKETS = 1 << 16;
/** Series keys are 52-bit hashes, spread evenly: their top 16 bits place them to within a few series. */
const bucketOf = (key: number) => Math.floor(key / 2 ** 36);

/**
 * The samples of `batches` ordered by minute and then (almost) by series key, the order of the
 * samples table's primary key. Inserted in this order, a write fills the table's pages one after
 * another; in arrival order (scrape after scrape, each a slice of every series) each sample lands
 * on a different page, and with many series the write costs several times as much.
 * Two stable counting sorts (by key bucket, then by minute) keep each series' samples in arrival
 * order, which is time order for a scraped series.
 */
export function inStoreOrder(batches: SampleBatch[]): SampleColumnsInOrder {
  let n = 0;
  for (const b of batches) n += b.keys.length;
  const keys = new Float64Array(n);
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  let at = 0;
  for (const b of batches) {
    keys.set(b.keys, at);
    ts.set(b.ts, at);
    values.set(b.values, at);
    at += b.keys.length;
  }
  const arrival = new Uint32Array(n);
  for (let i = 0; i < n; i++) arrival[i] = i;
  const byKey = countingSort(arrival, KEY_BUCKETS, (i) => bucketOf(keys[i]));
  const minutes = distinctMinutes(ts);
  const order = minutes.length === 1 ? byKey : countingSort(byKey, minutes.length, minuteRank(minutes, ts));
  return { keys: pick(keys, order), ts: pick(ts, order), values: pick(values, order) };
}

/** The minutes of `ts`, ascending (consecutive samples mostly share one). */
function distinctMinutes(ts: Float64Array): number[] {
  const seen = new Set<number>();
  let last = NaN;
  for (let i = 0; i < ts.length; i++) {
    const m = minuteOf(ts[i]);
    if (m !== last) seen.add((last = m));
  }
  return [...seen].sort((a, b) => a - b);
}

/** The rank of sample i's minute among `minutes` (sorted). */
function minuteRank(minutes: number[], ts: Float64Array): (i: number) => number {
  const rank = new Map(minutes.map((m, r) => [m, r]));
  return (i) => rank.get(minuteOf(ts[i]))!;
}

/** `order` stably sorted by `bucket` (0 ≤ bucket < buckets). */
function countingSort(order: Uint32Array, buckets: number, bucket: (i: number) => number): Uint32Array {
  const of = new Uint32Array(order.length);
  const starts = new Uint32Array(buckets + 1);
  for (let j = 0; j < order.length; j++) starts[(of[j] = bucket(order[j])) + 1]++;
  for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
  const out = new Uint32Array(order.length);
  for (let j = 0; j < order.length; j++) out[starts[of[j]]++] = order[j];
  return out;
}

function pick(column: Float64Array, order: Uint32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) out[j] = column[order[j]];
  return out;
}
