import type { MetricMetadata, SeriesSamples } from "../../collectors/prometheus/series";
import { blockBytes } from "../store/sample-blocks";
import { textKey } from "../store/span-keys";

/** Samples of series the store holds, in columns: each one's series key, time (epoch ms) and value. */
export interface KeyedSamples { keys: Float64Array; ts: Float64Array; values: Float64Array }

/** A series as stored in `metric_series`. */
export interface SeriesRow { key: number; name: string; labels: string; job: string; instance: string; type: string }

/**
 * Samples ready for the store, in columns (typed arrays move to the SQLite write thread without
 * copying element by element), with the rows of series not stored yet.
 */
export interface SampleBatch extends KeyedSamples { series: SeriesRow[] }

/** A batch with more samples of stored series after its own. */
export function withSamples(batch: SampleBatch, more: KeyedSamples): SampleBatch {
  if (more.keys.length === 0) return batch;
  if (batch.keys.length === 0) return { series: batch.series, ...more };
  const joined = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  return { series: batch.series, keys: joined(batch.keys, more.keys), ts: joined(batch.ts, more.ts), values: joined(batch.values, more.values) };
}

/** Samples in columns: one per series, all at one time (a scrape of an exposition with a shape). */
export interface SampleColumns { keys: Float64Array; values: Float64Array; ts: number }

/**
 * One scrape of a shape (the same series in the same order, scrape after scrape): a value per
 * series, all at `ts`, stored as one row. `keys` travel with it until the shape is stored.
 */
export interface SampleBlock { shape: number; keys?: Float64Array; ts: number; values: Float64Array }

/** What the metrics queue holds and the sample writer takes. */
export type MetricWrite = SampleBatch | SampleBlock;
export const isBlock = (w: MetricWrite): w is SampleBlock => "shape" in w;
/** Samples in a write. */
export const samplesIn = (w: MetricWrite) => (isBlock(w) ? w.values.length : w.keys.length);

/** A shape's id: a 52-bit hash of its series keys in order. */
export const shapeId = (keys: Float64Array) => textKey(blockBytes(keys).toString("latin1"));

export interface Admitted { batch: SampleBatch; droppedSeries: number; droppedSamples: number }

/** Family name of a series: histogram and summary parts belong to their family's # TYPE. */
function familyOf(name: string, metadata: Map<string, MetricMetadata>): MetricMetadata | undefined {
  const direct = metadata.get(name);
  if (direct) return direct;
  for (const suffix of ["_bucket", "_sum", "_count", "_total", "_created", "_gcount", "_gsum", "_info"]) {
    if (name.endsWith(suffix)) {
      const family = metadata.get(name.slice(0, -suffix.length));
      if (family) return family;
    }
  }
  return undefined;
}

/** How a series is stored: its key (a hash of name and labels) and its columns. */
export type SeriesIdentity = Omit<SeriesRow, "type">;

/** A series' samples for admission: with its identity, or with the labels to work it out from. */
export type SeriesToAdmit = Pick<SeriesSamples, "name" | "timestamps" | "values"> &
  ({ identity: SeriesIdentity } | { labels: [string, string][]; identity?: undefined });

const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;
/** JSON.stringify for a string, without its cost for the usual label text that needs no escaping. */
const jsonString = (s: string) => (NEEDS_JSON_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

export function identify(name: string, labels: [string, string][]): SeriesIdentity {
  let text = "{";
  let job = "";
  let instance = "";
  for (const [k, v] of labels) {
    if (text.length > 1) text += ",";
    text += `${jsonString(k)}:${jsonString(v)}`;
    if (k === "job") job = v;
    else if (k === "instance") instance = v;
  }
  text += "}";
  return { key: textKey(`${name}${text}`), name, labels: text, job, instance };
}

/**
 * Knows every series key the store holds or is about to, and enforces the series limit: samples
 * of a new series beyond it are dropped (and counted) while known series keep flowing. A series'
 * row is written with the first write that has it; writes queued behind that one refer to it
 * without repeating it (the queue writes in order), unless that write fails and `forget` says so.
 */
export class SeriesRegistry {
  private readonly known: Set<number>;
  private readonly stored = new Set<number>();

  constructor(readonly maxSeries: number, storedKeys: Iterable<number>) {
    this.known = new Set(storedKeys);
    for (const k of this.known) this.stored.add(k);
  }

  get size(): number { return this.known.size; }

  admit(series: SeriesToAdmit[], metadata: Map<string, MetricMetadata>): Admitted {
    let total = 0;
    for (const s of series) total += s.values.length;
    const keys = new Float64Array(total);
    const ts = new Float64Array(total);
    const values = new Float64Array(total);
    const rows: SeriesRow[] = [];
    let n = 0;
    let droppedSeries = 0;
    let droppedSamples = 0;
    for (const s of series) {
      const id = s.identity !== undefined ? s.identity : identify(s.name, s.labels);
      if (!this.known.has(id.key)) {
        if (this.known.size >= this.maxSeries) {
          droppedSeries++;
          droppedSamples += s.values.length;
          continue;
        }
        this.known.add(id.key);
        rows.push({ ...id, type: familyOf(s.name, metadata)?.type ?? "unknown" });
      }
      for (let i = 0; i < s.values.length; i++, n++) {
        keys[n] = id.key;
        ts[n] = s.timestamps[i];
        values[n] = s.values[i];
      }
    }
    const cut = n === total ? undefined : n;
    return {
      batch: { series: rows, keys: cut === undefined ? keys : keys.slice(0, cut), ts: cut === undefined ? ts : ts.slice(0, cut), values: cut === undefined ? values : values.slice(0, cut) },
      droppedSeries, droppedSamples,
    };
  }

  /** Whether this series is stored (its row committed). */
  isStored(key: number): boolean {
    return this.stored.has(key);
  }

  /** Whether every one of these series is stored. */
  holds(keys: Float64Array): boolean {
    return everyIn(this.stored, keys);
  }

  /** Whether every one of these series is stored or has its row in a write queued already. */
  knows(keys: Float64Array): boolean {
    return everyIn(this.known, keys);
  }

  /** Once a batch is committed its series need not be written again. */
  committed(rows: SeriesRow[]): void {
    for (const r of rows) this.stored.add(r.key);
  }

  /** The write with these rows failed: the next write that has one of these series carries its row again. */
  forget(rows: SeriesRow[]): void {
    for (const r of rows) if (!this.stored.has(r.key)) this.known.delete(r.key);
  }
}

function everyIn(set: Set<number>, keys: Float64Array): boolean {
  for (let i = 0; i < keys.length; i++) if (!set.has(keys[i])) return false;
  return true;
}
