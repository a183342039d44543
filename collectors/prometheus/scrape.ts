import { type SampleColumns, type SeriesIdentity, identify } from "../../lib/ingest/sample-batch";
import type { MetricMetadata, SeriesSamples } from "./series";
import type { ScrapeTargetDef } from "./scrape-config";
import { fetchExposition } from "./scrape-http";
import { type ExpositionShape, parseExposition, readShaped } from "./text-format";

/** A scraped series' samples with its store identity (which holds its labels, the target's among them). */
export type LabelledSeries = Pick<SeriesSamples, "name" | "timestamps" | "values"> & { identity: SeriesIdentity };

const SYNTHETIC = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

/** Series in the order of a column of values, with their keys. */
interface ColumnSeries { series: { name: string; identity: SeriesIdentity }[]; keys: Float64Array }

const columnSeries = (series: ColumnSeries["series"]): ColumnSeries => ({ series, keys: Float64Array.from(series, (s) => s.identity.key) });

/**
 * What one target's scrapes share: its labels, and the shape of its exposition with the series in
 * it, labelled and hashed. A target exposes the same series in the same order scrape after scrape,
 * so a repeated scrape costs a text comparison and its values: no labelling, hashing or objects.
 */
export class TargetMemory {
  readonly labels: [string, string][];
  /** up, scrape_duration_seconds, scrape_samples_scraped with the target's labels: the columns of a failed scrape. */
  readonly synthetic: ColumnSeries;
  /** From the latest full parse, if its exposition had a shape: its series, then the synthetic ones. */
  shaped?: ColumnSeries & { shape: ExpositionShape; metadata: Map<string, MetricMetadata> };
  /** Whether the latest scrape failed. */
  failed = false;

  constructor(target: Pick<ScrapeTargetDef, "job" | "url" | "labels">) {
    this.labels = targetLabels(target);
    this.synthetic = columnSeries(SYNTHETIC.map((name) => ({ name, identity: identify(name, this.labels) })));
  }
}

export interface ScrapeResult {
  /** Every series' samples, the synthetic ones last, as columns: present when the exposition had a shape (or the scrape failed). */
  columns?: SampleColumns;
  /** The same samples as series (built from the columns on demand: a series new to the store needs them once). */
  series(): LabelledSeries[];
  metadata: Map<string, MetricMetadata>;
  /** Samples the target exposed (without the synthetic up/scrape_* ones). */
  samples: number;
  durationMs: number;
  error?: string;
}

/** The target's own labels: job and instance (host:port) plus any configured ones. */
export function targetLabels(t: Pick<ScrapeTargetDef, "job" | "url" | "labels">): [string, string][] {
  const url = new URL(t.url);
  return Object.entries({ ...t.labels, job: t.job, instance: url.host }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Adds the target's labels to an exposed series. As in Prometheus with honor_labels: false, an
 * exposed label that clashes with a target label is kept as exported_<name>.
 */
export function withTargetLabels(labels: [string, string][], target: [string, string][]): [string, string][] {
  const merged = new Map<string, string>();
  const taken = new Set(target.map(([k]) => k));
  for (const [k, v] of labels) merged.set(taken.has(k) ? `exported_${k}` : k, v);
  for (const [k, v] of target) merged.set(k, v);
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The exposed samples of one scrape: `count` values in the order of `columns` (room left for the
 * synthetic series' values), or, for an exposition without a shape, series objects.
 */
type Exposed = { values: Float64Array; count: number; columns: ColumnSeries } | { series: LabelledSeries[] };

/** Reads an exposition: by its known shape when it still fits, else by a full parse that remembers the new shape. */
function readExposition(body: Buffer, openMetrics: boolean, memory: TargetMemory, opts: { nowMs: number; maxLabelValueLength: number }): { exposed: Exposed; metadata: Map<string, MetricMetadata> } {
  const known = memory.shaped;
  if (known && known.shape.openMetrics === openMetrics) {
    const values = new Float64Array(known.keys.length);
    if (readShaped(body, known.shape, values)) return { exposed: { values, count: known.keys.length - SYNTHETIC.length, columns: known }, metadata: known.metadata };
  }
  const parsed = parseExposition(body.toString("utf8"), { defaultTimestampMs: opts.nowMs, openMetrics, maxLabelValueLength: opts.maxLabelValueLength, shape: true });
  const series = parsed.series.map((s): LabelledSeries => ({ name: s.name, timestamps: s.timestamps, values: s.values, identity: identify(s.name, withTargetLabels(s.labels, memory.labels)) }));
  memory.shaped = undefined;
  if (!parsed.shape) return { exposed: { series }, metadata: parsed.metadata };
  const columns = columnSeries([...series.map(({ name, identity }) => ({ name, identity })), ...memory.synthetic.series]);
  memory.shaped = { ...columns, shape: parsed.shape, metadata: parsed.metadata };
  const values = new Float64Array(columns.keys.length);
  series.forEach((s, i) => { values[i] = s.values[0]; });
  return { exposed: { values, count: series.length, columns }, metadata: parsed.metadata };
}

/**
 * Scrapes one target once: fetches its exposition (bounded in time and size), parses it and
 * labels every series, then adds Prometheus's synthetic series for the scrape itself
 * (`up`, `scrape_duration_seconds`, `scrape_samples_scraped`). A failed scrape still yields
 * `up` 0 and says why.
 */
export async function scrapeOnce(target: ScrapeTargetDef, opts: { nowMs: number; timeoutMs: number; maxBytes: number; maxLabelValueLength: number },
  memory = new TargetMemory(target)): Promise<ScrapeResult> {
  const started = performance.now();
  let read: ReturnType<typeof readExposition> | undefined;
  let error: string | undefined;
  try {
    const { body, openMetrics } = await fetchExposition(target.url, opts.timeoutMs, opts.maxBytes);
    read = readExposition(body, openMetrics, memory, opts);
  } catch (err) {
    error = (err as Error).message;
  }
  const durationMs = performance.now() - started;
  const exposed: Exposed = read?.exposed ?? { values: new Float64Array(SYNTHETIC.length), count: 0, columns: memory.synthetic };
  const metadata = new Map(read?.metadata);
  for (const name of SYNTHETIC) metadata.set(name, { type: "gauge" });
  const ts = opts.nowMs;
  const samples = "values" in exposed ? exposed.count : exposed.series.reduce((n, s) => n + s.values.length, 0);
  const synthetic = [error ? 0 : 1, durationMs / 1000, samples];
  const result = { metadata, samples, durationMs, ...(error ? { error } : {}) };
  if (!("values" in exposed)) {
    const own = memory.synthetic.series.map(({ name, identity }, i) => ({ name, identity, timestamps: [ts], values: [synthetic[i]] }));
    return { ...result, series: () => [...exposed.series, ...own] };
  }
  const { values, count, columns } = exposed;
  synthetic.forEach((v, i) => { values[count + i] = v; });
  return {
    ...result,
    columns: { keys: columns.keys, values, ts },
    series: () => columns.series.map((s, i) => ({ ...s, timestamps: [ts], values: [values[i]] })),
  };
}
