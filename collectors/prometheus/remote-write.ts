/**
 * Prometheus remote_write 1.0 request decoder: the (already decompressed) `prometheus.WriteRequest`
 * bytes → samples, straight from the wire, with the field numbers of prometheus/prompb
 * (remote.proto, types.proto):
 *
 *   WriteRequest    timeseries=1 metadata=3
 *   TimeSeries      labels=1 samples=2 exemplars=3 histograms=4
 *   Label           name=1 value=2
 *   Sample          value=1 (double) timestamp=2 (int64, ms)
 *   MetricMetadata  type=1 (enum) metric_family_name=2 help=4 unit=5
 *
 * Prometheus sends one TimeSeries per sample, and the same series request after request. Samples
 * of a series the store already holds go straight to typed columns under its store key; the others
 * become SeriesSamples, entries of the same series merged.
 * Exemplars are skipped; native histograms are skipped and counted (not stored yet). As in the text
 * parser, labels with an empty value are dropped and the others sorted by name.
 */
import { asBuffer, truncate, utf8Text } from "../otlp/decode-common";
import { OtlpDecodeError } from "../otlp/decode-types";
import { ProtoReader as Reader, WIRE_I64, WIRE_LEN, WIRE_VARINT, messageFields } from "../otlp/proto-reader";
import type { KeyedSamples } from "../../lib/ingest/sample-batch";
import type { MetricMetadata, MetricType, SeriesSamples } from "./series";
import { sortLabels } from "./text-format";

/** The body is not a valid WriteRequest: the caller answers 400 with this message. */
export class RemoteWriteError extends Error {
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
    this.name = "RemoteWriteError";
  }
}

export interface WriteRequestOptions {
  /** Label values are cut to at most this many UTF-16 code units (a surrogate pair is never split). */
  maxLabelValueLength?: number;
  /** Series seen in earlier requests. */
  catalog?: SeriesCatalog;
}

/** What the caller knows of series from earlier requests, by the raw bytes of their labels (`bytes[start..end)`). */
export interface SeriesCatalog {
  /**
   * A series decoded before: its labels need not be read again, and once the store holds it, its
   * `storedKey` is set and its samples need no admission and no objects.
   */
  lookup(bytes: DataView, start: number, end: number): { name: string; labels: [string, string][]; storedKey?: number } | undefined;
}

export interface DecodedWriteRequest {
  /** Series the catalog has no store key for. */
  series: SeriesSamples[];
  /** Samples of series the catalog has a store key for. */
  stored: KeyedSamples;
  /** By metric family name. */
  metadata: Map<string, MetricMetadata>;
  /** Native histogram samples that were skipped. */
  skippedHistograms: number;
}

const enum Tag {
  F1_LEN = 10,
  F2_LEN = 18,
  F3_LEN = 26,
  F4_LEN = 34,
  F5_LEN = 42,
  F1_I64 = 9,
  F1_VARINT = 8,
  F2_VARINT = 16,
}

const WRITE_REQUEST_FIELDS = messageFields("WriteRequest", { 1: ["timeseries", WIRE_LEN], 3: ["metadata", WIRE_LEN] });
const TIME_SERIES_FIELDS = messageFields("TimeSeries", {
  1: ["labels", WIRE_LEN],
  2: ["samples", WIRE_LEN],
  3: ["exemplars", WIRE_LEN],
  4: ["histograms", WIRE_LEN],
});
const LABEL_FIELDS = messageFields("Label", { 1: ["name", WIRE_LEN], 2: ["value", WIRE_LEN] });
const SAMPLE_FIELDS = messageFields("Sample", { 1: ["value", WIRE_I64], 2: ["timestamp", WIRE_VARINT] });
const METADATA_FIELDS = messageFields("MetricMetadata", {
  1: ["type", WIRE_VARINT],
  2: ["metric_family_name", WIRE_LEN],
  4: ["help", WIRE_LEN],
  5: ["unit", WIRE_LEN],
});

/** MetricMetadata.MetricType enum values, in order. */
const METRIC_TYPES: MetricType[] = ["unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"];

export function decodeWriteRequest(body: Uint8Array, opts: WriteRequestOptions = {}): DecodedWriteRequest {
  const decoder = new WriteRequestDecoder(body, opts.maxLabelValueLength ?? Infinity, opts.catalog);
  try {
    decoder.run();
  } catch (e) {
    // The shared protobuf reader reports wire errors as OtlpDecodeError; they are ours here.
    if (e instanceof OtlpDecodeError) throw new RemoteWriteError(e.message);
    throw e;
  }
  return { series: decoder.series, stored: decoder.samples.columns(), metadata: decoder.metadata, skippedHistograms: decoder.skippedHistograms };
}

const latin1Text = (buf: Uint8Array, start: number, end: number) => (buf as Buffer).toString("latin1", start, end);

/**
 * Label names and most values repeat across series and requests (job, instance, le…): short ASCII
 * strings are shared through a small direct-mapped cache instead of being decoded every time.
 */
const INTERN_SLOTS = 4096;
const INTERN_MAX_LEN = 40;
const interned: string[] = new Array<string>(INTERN_SLOTS).fill("");

function internedText(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n > INTERN_MAX_LEN) return utf8Text(buf, start, end);
  let h = n;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b >= 0x80) return utf8Text(buf, start, end);
    h = Math.imul(h ^ b, 0x01000193);
  }
  const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
  const cached = interned[slot];
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === n) return cached;
  }
  const text = latin1Text(buf, start, end);
  interned[slot] = text;
  return text;
}

const varintSize = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/** The canonical encoding of sorted labels (Label messages, name then value, minimal lengths) as latin1 text. */
function canonicalKey(labels: [string, string][]): string {
  let key = "";
  for (const [name, value] of labels) {
    const inner = lenField(10, Buffer.from(name, "utf8").toString("latin1")) + lenField(18, Buffer.from(value, "utf8").toString("latin1"));
    key += lenField(10, inner);
  }
  return key;
}

function lenField(tag: number, bytes: string): string {
  let field = String.fromCharCode(tag);
  let n = bytes.length;
  for (; n >= 0x80; n >>>= 7) field += String.fromCharCode((n & 0x7f) | 0x80);
  return field + String.fromCharCode(n) + bytes;
}

/**
 * Samples in growing columns: those of stored series, keyed, then those of the TimeSeries being
 * read, which are keyed or taken back out once its labels are looked up.
 */
class SampleColumnsBuilder {
  n = 0;
  private keys: Float64Array;
  private ts: Float64Array;
  private values: Float64Array;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(ms: number, value: number): void {
    if (this.n === this.ts.length) this.grow();
    this.ts[this.n] = ms;
    this.values[this.n++] = value;
  }

  /** Gives the samples from `from` on the series' store key. */
  key(from: number, key: number): void {
    this.keys.fill(key, from, this.n);
  }

  /** Takes the samples from `from` on back out, as arrays. */
  takeFrom(from: number): { timestamps: number[]; values: number[] } {
    const taken = { timestamps: Array.from(this.ts.subarray(from, this.n)), values: Array.from(this.values.subarray(from, this.n)) };
    this.n = from;
    return taken;
  }

  /** Exact copies: a view would carry its whole buffer to the write thread. */
  columns(): KeyedSamples {
    return { keys: this.keys.slice(0, this.n), ts: this.ts.slice(0, this.n), values: this.values.slice(0, this.n) };
  }

  private grow(): void {
    const size = this.ts.length * 2;
    for (const column of ["keys", "ts", "values"] as const) {
      const bigger = new Float64Array(size);
      bigger.set(this[column]);
      this[column] = bigger;
    }
  }
}

/** A sample takes at least 11 bytes on the wire, a TimeSeries' labels usually 50 or more. */
const BYTES_PER_SAMPLE_GUESS = 64;

class WriteRequestDecoder {
  readonly series: SeriesSamples[] = [];
  readonly samples: SampleColumnsBuilder;
  readonly metadata = new Map<string, MetricMetadata>();
  skippedHistograms = 0;
  private readonly byKey = new Map<string, SeriesSamples>();
  private readonly r: Reader;
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private timeSeriesIndex = 0;

  constructor(
    body: Uint8Array,
    private readonly maxValueLen: number,
    private readonly catalog: SeriesCatalog | undefined,
  ) {
    this.buf = asBuffer(body);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.r = new Reader(this.buf);
    this.samples = new SampleColumnsBuilder(Math.max(16, Math.ceil(body.length / BYTES_PER_SAMPLE_GUESS)));
  }

  run(): void {
    const r = this.r;
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === Tag.F1_LEN) this.timeSeries(this.enter());
      else if (tag === Tag.F3_LEN) this.metricMetadata(this.enter());
      else r.skip(tag, WRITE_REQUEST_FIELDS);
    }
  }

  /** Reads a length prefix and narrows the reader to that message; returns the outer end to restore. */
  private enter(): number {
    const r = this.r;
    const n = r.len();
    const outer = r.end;
    r.end = r.pos + n;
    return outer;
  }

  /**
   * One TimeSeries. The samples are read first and the series looked up by the raw bytes of its
   * labels, so a series seen before costs no label decoding. Raw bytes are a valid key only in the
   * canonical encoding (sorted, minimal, no empty values), which is what Prometheus sends; any other
   * spelling is keyed by the canonical encoding of its decoded labels instead.
   */
  private timeSeries(outerEnd: number): void {
    const r = this.r;
    const at = r.pos;
    const first = this.samples.n;
    let labelsStart = -1;
    let labelsEnd = -1;
    let contiguous = true;
    while (r.pos < r.end) {
      const tagAt = r.pos;
      const tag = r.tag();
      if (tag === Tag.F1_LEN) {
        const n = r.len();
        if (labelsStart < 0) labelsStart = tagAt;
        else if (labelsEnd !== tagAt) contiguous = false;
        r.pos += n;
        labelsEnd = r.pos;
      } else if (tag === Tag.F2_LEN) {
        const outer = this.enter();
        this.sample();
        r.end = outer;
      } else {
        if (tag === Tag.F4_LEN) this.skippedHistograms++;
        r.skip(tag, TIME_SERIES_FIELDS);
      }
    }
    const index = this.timeSeriesIndex++;
    const raw = contiguous && labelsStart >= 0;
    const known = raw ? this.catalog?.lookup(this.view, labelsStart, labelsEnd) : undefined;
    if (known?.storedKey !== undefined) {
      this.samples.key(first, known.storedKey);
      r.end = outerEnd;
      return;
    }
    const rawKey = raw ? latin1Text(this.buf, labelsStart, labelsEnd) : "";
    const { timestamps, values } = this.samples.takeFrom(first);
    let series = rawKey === "" ? undefined : this.byKey.get(rawKey);
    if (series === undefined) {
      let decoded: { name: string; labels: [string, string][]; key: string };
      if (known) decoded = { name: known.name, labels: known.labels, key: rawKey }; // the reader is already past it
      else {
        r.pos = at; // read it again, for its labels
        decoded = this.labels(index, at, rawKey);
      }
      // A canonical series was already looked up by its raw key.
      if (decoded.key !== rawKey) series = this.byKey.get(decoded.key);
      if (series === undefined) {
        const created: SeriesSamples = { name: decoded.name, labels: decoded.labels, timestamps, values, text: decoded.key };
        this.byKey.set(decoded.key, created);
        if (values.length > 0) this.series.push(created);
        r.end = outerEnd;
        return;
      }
    }
    r.end = outerEnd;
    if (series.values.length === 0 && values.length > 0) this.series.push(series);
    for (let i = 0; i < values.length; i++) {
      series.timestamps.push(timestamps[i]);
      series.values.push(values[i]);
    }
  }

  /**
   * Re-reads the TimeSeries at `at` for its labels: the metric name, the other labels (sorted, empty
   * values dropped, values truncated) and the series key (`rawKey` when the labels were canonical).
   */
  private labels(index: number, at: number, rawKey: string): { name: string; labels: [string, string][]; key: string } {
    const r = this.r;
    const buf = this.buf;
    const all: [string, string][] = [];
    let canonical = rawKey !== "";
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag !== Tag.F1_LEN) {
        r.skip(tag, TIME_SERIES_FIELDS); // read (and checked) in the first pass
        continue;
      }
      const outer = this.enter();
      const size = r.end - r.pos;
      let name = "";
      let value = "";
      let fields = 0;
      let nameFirst = false;
      let minimalSize = 0;
      while (r.pos < r.end) {
        const t = r.tag();
        if (t === Tag.F1_LEN || t === Tag.F2_LEN) {
          const n = r.len();
          const text = internedText(buf, r.pos, r.pos + n);
          r.pos += n;
          if (fields++ === 0) nameFirst = t === Tag.F1_LEN;
          minimalSize += 1 + varintSize(n) + n;
          if (t === Tag.F1_LEN) name = text;
          else value = text;
        } else {
          r.skip(t, LABEL_FIELDS);
          canonical = false;
        }
      }
      r.end = outer;
      if (!(fields === 2 && nameFirst && size === minimalSize)) canonical = false;
      // Invalid UTF-8 decodes to U+FFFD: different bytes, same label, so the bytes cannot be the key.
      if (value.includes("\uFFFD") || name.includes("\uFFFD")) canonical = false;
      if (name === "") r.fail(`TimeSeries #${index} has a label with an empty name`, at);
      if (value === "") {
        canonical = false;
        continue;
      }
      if (value.length > this.maxValueLen) {
        value = truncate(value, this.maxValueLen);
        canonical = false;
      }
      if (all.length > 0 && name <= all[all.length - 1][0]) canonical = false;
      all.push([name, value]);
    }
    if (!canonical) sortLabels(all, (detail) => r.fail(`TimeSeries #${index}: ${detail}`, at));
    let metricName = "";
    const labels: [string, string][] = [];
    for (const label of all) {
      if (label[0] === "__name__") metricName = label[1];
      else labels.push(label);
    }
    if (metricName === "") r.fail(`TimeSeries #${index} has no __name__ label`, at);
    return { name: metricName, labels, key: canonical ? rawKey : canonicalKey(all) };
  }

  private sample(): void {
    const r = this.r;
    let value = 0;
    let ms = 0;
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === Tag.F1_I64) value = r.double();
      else if (tag === Tag.F2_VARINT) {
        r.varint64();
        ms = (r.hi | 0) * 4294967296 + r.lo; // int64, exact within ±2^53 ms
      } else r.skip(tag, SAMPLE_FIELDS);
    }
    this.samples.push(ms, value);
  }

  private metricMetadata(outerEnd: number): void {
    const r = this.r;
    const buf = this.buf;
    let type: MetricType = "unknown";
    let family = "";
    let help = "";
    let unit = "";
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === Tag.F1_VARINT) type = METRIC_TYPES[r.int32()] ?? "unknown";
      else if (tag === Tag.F2_LEN || tag === Tag.F4_LEN || tag === Tag.F5_LEN) {
        const n = r.len();
        const text = utf8Text(buf, r.pos, r.pos + n);
        r.pos += n;
        if (tag === Tag.F2_LEN) family = text;
        else if (tag === Tag.F4_LEN) help = text;
        else unit = text;
      } else r.skip(tag, METADATA_FIELDS);
    }
    r.end = outerEnd;
    if (family === "") return; // nothing to attach it to
    const meta: MetricMetadata = { type };
    if (help !== "") meta.help = help;
    if (unit !== "") meta.unit = unit;
    this.metadata.set(family, meta);
  }
}
