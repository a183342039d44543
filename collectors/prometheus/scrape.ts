import { type SeriesIdentity, identify } from "../../lib/ingest/sample-batch";
import type { MetricMetadata, SeriesSamples } from "./series";
import type { ScrapeTargetDef } from "./scrape-config";
import { parseExposition } from "./text-format";

/** What Prometheus 2.x asks for: OpenMetrics first, the classic text format otherwise. */
const ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/**
 * A target's series as last seen: its labelled form and store identity by exposition text. A
 * target exposes the same series scrape after scrape, so labelling and hashing happen once each.
 */
export type SeriesCache = Map<string, { labels: [string, string][]; identity: SeriesIdentity }>;

export interface ScrapeResult {
  series: (SeriesSamples & { identity?: SeriesIdentity })[];
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
 * Scrapes one target once: fetches its exposition (bounded in time and size), parses it and
 * labels every series, then adds Prometheus's synthetic series for the scrape itself
 * (`up`, `scrape_duration_seconds`, `scrape_samples_scraped`). A failed scrape still yields
 * `up` 0 and says why.
 */
export async function scrapeOnce(target: ScrapeTargetDef, opts: { nowMs: number; timeoutMs: number; maxBytes: number; maxLabelValueLength: number },
  cache: SeriesCache = new Map()): Promise<ScrapeResult> {
  const started = performance.now();
  const labels = targetLabels(target);
  let series: ScrapeResult["series"] = [];
  let metadata = new Map<string, MetricMetadata>();
  let error: string | undefined;
  try {
    const res = await fetch(target.url, { headers: { Accept: ACCEPT }, signal: AbortSignal.timeout(opts.timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${target.url}`);
    const declared = Number(res.headers.get("content-length"));
    if (declared > opts.maxBytes) throw new Error(`exposition of ${declared} bytes exceeds the ${opts.maxBytes}-byte limit`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > opts.maxBytes) throw new Error(`exposition exceeds the ${opts.maxBytes}-byte limit`);
    const openMetrics = (res.headers.get("content-type") ?? "").startsWith("application/openmetrics-text");
    const parsed = parseExposition(body.toString("utf8"), { defaultTimestampMs: opts.nowMs, openMetrics, maxLabelValueLength: opts.maxLabelValueLength });
    // Series that went away leave their entries behind: start afresh when the cache outgrows the target.
    if (cache.size > 2 * parsed.series.length + 100) cache.clear();
    series = parsed.series.map((s) => {
      const known = s.text === undefined ? undefined : cache.get(s.text);
      if (known) return { ...s, labels: known.labels, identity: known.identity };
      const labelled = withTargetLabels(s.labels, labels);
      const identity = identify(s.name, labelled);
      if (s.text !== undefined) cache.set(s.text, { labels: labelled, identity });
      return { ...s, labels: labelled, identity };
    });
    metadata = parsed.metadata;
  } catch (err) {
    error = (err as Error).name === "TimeoutError" ? `timed out after ${opts.timeoutMs} ms` : (err as Error).message;
    series = [];
  }
  const durationMs = performance.now() - started;
  let samples = 0;
  for (const s of series) samples += s.values.length;
  const synthetic = (name: string, value: number): SeriesSamples => ({ name, labels, timestamps: [opts.nowMs], values: [value] });
  series.push(synthetic("up", error ? 0 : 1), synthetic("scrape_duration_seconds", durationMs / 1000), synthetic("scrape_samples_scraped", samples));
  for (const name of ["up", "scrape_duration_seconds", "scrape_samples_scraped"]) metadata.set(name, { type: "gauge" });
  return { series, metadata, samples, durationMs, ...(error ? { error } : {}) };
}
