/**
 * Parser of the Prometheus text exposition format 0.0.4 and of OpenMetrics 1.0 text: one pass over
 * the string with charCodeAt (no regex, no split into lines), straight to SeriesSamples.
 *
 * Semantics follow what a Prometheus server stores from a scrape:
 * - a label with an empty value is the same as no label, so it is dropped;
 * - label values keep unknown escapes (`\z`) literally, as Prometheus does;
 * - exemplars (` # {…} value [ts]` after a sample) are skipped;
 * - timestamps are integer milliseconds in 0.0.4 and (fractional) seconds in OpenMetrics.
 *
 * Series are grouped by name + labels. The key is the line's own `name{labels}` text when it is
 * already in the canonical form (sorted, no whitespace, escapes, empty values or truncation), which
 * is what client libraries write, so the common line costs one substring; other lines get a key
 * rendered from their sorted labels.
 */
import { sameBytes, viewOf } from "./byte-views";
import { truncate } from "../otlp/decode-common";
import type { MetricMetadata, MetricType, SeriesSamples } from "./series";

export interface ExpositionOptions {
  /** Timestamp (epoch ms) of samples that carry none, normally the scrape time. */
  defaultTimestampMs: number;
  /** Parse as OpenMetrics 1.0 (`# EOF` required, timestamps in seconds, stricter families). */
  openMetrics?: boolean;
  /** Label values are cut to at most this many UTF-16 code units (a surrogate pair is never split). */
  maxLabelValueLength?: number;
  /** Also give the exposition's shape, if it has one (see readShaped). */
  shape?: boolean;
}

/**
 * An exposition as bytes, with where its sample values are. A target exposes the same series in the
 * same order scrape after scrape, so the next exposition is read by checking that its bytes match
 * outside the values and parsing only the values. Only expositions with one sample per series, no
 * timestamps and no exemplars have a shape.
 */
export interface ExpositionShape {
  bytes: Uint8Array;
  /** Start and end (byte offsets) of each sample's value, in the order of the parsed series. */
  values: Uint32Array;
  openMetrics: boolean;
}

export interface ParsedExposition {
  series: SeriesSamples[];
  /** By family name, from `# TYPE` / `# HELP` / `# UNIT`. */
  metadata: Map<string, MetricMetadata>;
  /** When asked for and the exposition has one; its values are those of `series`, in order. */
  shape?: ExpositionShape;
}

/** The exposition is malformed; the message names the (1-based) line. */
export class ExpositionError extends Error {
  readonly httpStatus = 400;
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = "ExpositionError";
  }
}

export function parseExposition(text: string, opts: ExpositionOptions): ParsedExposition {
  return new ExpositionParser(text, opts).run();
}

/**
 * Reads an exposition of a known shape: writes its values into `into` (in the order of the series
 * the shape was taken with) and returns true, or returns false when its bytes differ from the shape
 * anywhere but in the values, or a value is not a number; then parseExposition decides.
 */
export function readShaped(body: Buffer, shape: ExpositionShape, into: Float64Array): boolean {
  const { bytes, values } = shape;
  const known = viewOf(bytes);
  const got = viewOf(body);
  // Values are ASCII: latin1 gives their bytes as characters, in one string for the whole body.
  let text: string | undefined;
  let pos = 0;
  let from = 0;
  for (let i = 0; i <= values.length; i += 2) {
    const to = i < values.length ? values[i] : bytes.length;
    if (pos + (to - from) > body.length || !sameBytes(known, from, got, pos, to - from)) return false;
    pos += to - from;
    if (i === values.length) break;
    let end = pos;
    for (let c = body[end]; end < body.length && c !== C.SPACE && c !== C.TAB && c !== C.CR && c !== C.LF; c = body[++end]);
    text ??= body.toString("latin1");
    const value = end > pos ? floatToken(text, pos, end) : undefined;
    if (value === undefined) return false;
    into[i >> 1] = value;
    pos = end;
    from = values[i + 1];
  }
  return pos === body.length;
}

/** Sorts labels by name in place (the order expected everywhere) and fails on a repeated name. */
export function sortLabels(labels: [string, string][], fail: (detail: string) => never): void {
  labels.sort(byName);
  for (let i = 1; i < labels.length; i++) {
    if (labels[i][0] === labels[i - 1][0]) fail(`duplicate label name "${labels[i][0]}"`);
  }
}

const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  QUOTE = 34,
  HASH = 35,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  ZERO = 48,
  NINE = 57,
  EQUALS = 61,
  BACKSLASH = 92,
  LOWER_E = 101,
  UPPER_E = 69,
  N = 110,
  OPEN_BRACE = 123,
  CLOSE_BRACE = 125,
}

// Character classes of ASCII codes: [a-zA-Z_:] starts a metric name, digits may follow; label names
// are the same without ':'.
const METRIC_START = 1;
const METRIC_CHAR = 2;
const LABEL_START = 4;
const LABEL_CHAR = 8;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const letter = /[a-zA-Z_]/.test(ch);
  const digit = c >= C.ZERO && c <= C.NINE;
  CLASS[c] =
    (letter || ch === ":" ? METRIC_START | METRIC_CHAR : 0) |
    (digit ? METRIC_CHAR | LABEL_CHAR : 0) |
    (letter ? LABEL_START | LABEL_CHAR : 0);
}
const is = (c: number, cls: number) => c < 128 && (CLASS[c] & cls) !== 0;
const isBlank = (c: number) => c === C.SPACE || c === C.TAB;

const TYPES_004 = new Map<string, MetricType>(["counter", "gauge", "histogram", "summary", "untyped"].map((t) => [t, t as MetricType]));
const TYPES_OM = new Map<string, MetricType>(
  ["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"].map((t) => [t, t as MetricType]),
);

/** Sample-name suffixes that belong to a family of each type ("" is the family name itself). */
const FAMILY_SUFFIXES: Record<MetricType, string[]> = {
  counter: ["_total", "_created", ""],
  gauge: [""],
  histogram: ["_bucket", "_sum", "_count", "_created"],
  gaugehistogram: ["_bucket", "_gsum", "_gcount"],
  summary: ["", "_sum", "_count", "_created"],
  info: ["_info"],
  stateset: [""],
  untyped: [""],
  unknown: [""],
};

/** Powers of ten that are exact doubles (for the exact fast path of decimal parsing). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * The float in `s[a, b)`: decimal, NaN, ±Inf; undefined when it is none. Decimals of ≤ 15 digits and
 * small exponents are computed exactly here, without a substring.
 */
function floatToken(s: string, a: number, b: number): number | undefined {
  let p = a;
  let c = s.charCodeAt(p);
  const negative = c === C.MINUS;
  if (negative || c === C.PLUS) c = s.charCodeAt(++p);
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (p < b && (c = s.charCodeAt(p)) >= C.ZERO && c <= C.NINE) {
    mantissa = mantissa * 10 + (c - C.ZERO);
    digits++;
    p++;
  }
  if (p < b && c === C.DOT) {
    p++;
    while (p < b && (c = s.charCodeAt(p)) >= C.ZERO && c <= C.NINE) {
      mantissa = mantissa * 10 + (c - C.ZERO);
      digits++;
      scale--;
      p++;
    }
  }
  if (p < b && (c === C.LOWER_E || c === C.UPPER_E)) {
    c = s.charCodeAt(++p);
    const negativeExponent = c === C.MINUS;
    if (negativeExponent || c === C.PLUS) p++;
    let exponent = 0;
    const exponentStart = p;
    while (p < b && (c = s.charCodeAt(p)) >= C.ZERO && c <= C.NINE && exponent < 1000) {
      exponent = exponent * 10 + (c - C.ZERO);
      p++;
    }
    if (p === exponentStart) return otherFloat(s.slice(a, b));
    scale += negativeExponent ? -exponent : exponent;
  }
  if (p === b && digits > 0 && digits <= 15 && scale > -POW10.length && scale < POW10.length) {
    // Clinger's fast path: an exact mantissa and an exact power of ten give a correctly rounded result.
    const v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
    return negative ? -v : v;
  }
  return otherFloat(s.slice(a, b));
}

function otherFloat(token: string): number | undefined {
  const lower = token.toLowerCase();
  const unsigned = lower.charCodeAt(0) === C.PLUS || lower.charCodeAt(0) === C.MINUS ? lower.slice(1) : lower;
  if (unsigned === "inf" || unsigned === "infinity") return lower.charCodeAt(0) === C.MINUS ? -Infinity : Infinity;
  if (lower === "nan") return NaN;
  // Number() also takes hex, binary, octal and "Infinity"; only plain decimals are valid here.
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!((c >= C.ZERO && c <= C.NINE) || c === C.DOT || c === C.PLUS || c === C.MINUS || c === C.LOWER_E || c === C.UPPER_E)) return undefined;
  }
  const v = Number(token);
  return Number.isNaN(v) ? undefined : v;
}

class ExpositionParser {
  private readonly s: string;
  private readonly om: boolean;
  private readonly maxValueLen: number;
  private readonly defaultTs: number;
  private readonly series: SeriesSamples[] = [];
  private readonly byKey = new Map<string, SeriesSamples>();
  private readonly metadata = new Map<string, MetricMetadata>();
  /** Families that had a `# TYPE` line (a second one is an error). */
  private readonly typed = new Set<string>();
  /** The family of the latest descriptor line: samples right after it are checked against its type. */
  private family = "";
  private familyType: MetricType = "untyped";
  private lineNo = 0;
  /** Set by labelSet: false when the label set as written differs from its canonical rendering. */
  private canonicalLabels = true;
  private pos = 0;
  /** Start and end of each sample's value, while the exposition can have a shape. */
  private valueTokens: number[] | undefined;
  /** End of the current line, trailing whitespace excluded. */
  private end = 0;

  constructor(text: string, opts: ExpositionOptions) {
    this.s = text;
    this.om = opts.openMetrics ?? false;
    this.maxValueLen = opts.maxLabelValueLength ?? Infinity;
    this.defaultTs = opts.defaultTimestampMs;
    if (opts.shape) this.valueTokens = [];
  }

  run(): ParsedExposition {
    const s = this.s;
    const n = s.length;
    let start = 0;
    let eof = false;
    while (start < n) {
      let nl = s.indexOf("\n", start);
      if (nl < 0) nl = n;
      this.lineNo++;
      let end = nl;
      let c: number;
      while (end > start && ((c = s.charCodeAt(end - 1)) === C.CR || isBlank(c))) end--;
      while (start < end && isBlank(s.charCodeAt(start))) start++;
      if (start < end) {
        if (eof) this.fail("content after # EOF");
        this.pos = start;
        this.end = end;
        if (s.charCodeAt(start) === C.HASH) eof = this.comment();
        else this.sample();
      }
      start = nl + 1;
    }
    if (this.om && !eof) this.fail("missing # EOF at the end of OpenMetrics text");
    return { series: this.series, metadata: this.metadata, ...(this.valueTokens ? { shape: this.shape(this.valueTokens) } : {}) };
  }

  /** The shape from the values' string offsets: as byte offsets into the UTF-8 text. */
  private shape(tokens: number[]): ExpositionShape {
    const bytes = Buffer.from(this.s, "utf8");
    const values = Uint32Array.from(tokens);
    if (bytes.length !== this.s.length) {
      // Not ASCII: count the bytes of the text before each offset.
      let at = 0;
      let bytePos = 0;
      for (let i = 0; i < values.length; i++) {
        bytePos += Buffer.byteLength(this.s.slice(at, tokens[i]));
        at = tokens[i];
        values[i] = bytePos;
      }
    }
    return { bytes, values, openMetrics: this.om };
  }

  private fail(detail: string): never {
    throw new ExpositionError(this.lineNo, detail);
  }

  /** A `#` line: HELP / TYPE / UNIT descriptor, `# EOF` (returns true in OpenMetrics), or a comment. */
  private comment(): boolean {
    const s = this.s;
    const pos = this.pos;
    if (this.end - pos === 5 && s.startsWith("# EOF", pos)) return this.om;
    const keyword = s.startsWith("# HELP ", pos) ? "HELP" : s.startsWith("# TYPE ", pos) ? "TYPE" : this.om && s.startsWith("# UNIT ", pos) ? "UNIT" : "";
    if (keyword === "") {
      if (this.om) this.fail(`unexpected comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF): ${s.slice(pos, Math.min(this.end, pos + 40))}`);
      return false;
    }
    let p = this.pos + 7;
    while (p < this.end && isBlank(s.charCodeAt(p))) p++;
    const nameStart = p;
    if (p >= this.end || !is(s.charCodeAt(p), METRIC_START)) this.fail(`# ${keyword} without a valid metric name`);
    while (p < this.end && is(s.charCodeAt(p), METRIC_CHAR)) p++;
    const name = s.slice(nameStart, p);
    if (p < this.end && !isBlank(s.charCodeAt(p))) this.fail(`invalid metric name in # ${keyword}`);
    while (p < this.end && isBlank(s.charCodeAt(p))) p++;
    const rest = s.slice(p, this.end);

    let meta = this.metadata.get(name);
    if (meta === undefined) {
      meta = { type: this.om ? "unknown" : "untyped" };
      this.metadata.set(name, meta);
    }
    if (keyword === "TYPE") {
      const type = (this.om ? TYPES_OM : TYPES_004).get(rest);
      if (type === undefined) this.fail(`unknown metric type "${rest}" for ${name}`);
      if (this.typed.has(name)) this.fail(`second # TYPE line for ${name}`);
      this.typed.add(name);
      meta.type = type;
    } else if (keyword === "HELP") {
      if (meta.help !== undefined) this.fail(`second # HELP line for ${name}`);
      meta.help = rest.indexOf("\\") < 0 ? rest : unescape(rest, 0, rest.length, this.om);
    } else {
      if (meta.unit !== undefined) this.fail(`second # UNIT line for ${name}`);
      meta.unit = rest;
    }
    this.family = name;
    this.familyType = meta.type;
    return false;
  }

  /** `name[{labels}] value [timestamp] [# exemplar]` */
  private sample(): void {
    const s = this.s;
    const end = this.end;
    const nameStart = this.pos;
    let p = nameStart;
    if (!is(s.charCodeAt(p), METRIC_START)) this.fail(`invalid metric name at column ${p - nameStart + 1}`);
    p++;
    while (p < end && is(s.charCodeAt(p), METRIC_CHAR)) p++;
    const nameEnd = p;
    let canonical = true;
    while (p < end && isBlank(s.charCodeAt(p))) p++;
    const labels: [string, string][] = [];
    let keyEnd = nameEnd;
    if (p < end && s.charCodeAt(p) === C.OPEN_BRACE) {
      if (p !== nameEnd) canonical = false;
      p = this.labelSet(p + 1, labels);
      keyEnd = p;
      if (this.canonicalLabels === false) canonical = false;
      if (p < end && !isBlank(s.charCodeAt(p))) this.fail("expected whitespace after the label set");
    } else if (p < end && p === nameEnd) {
      this.fail(`invalid character ${JSON.stringify(s[p])} in metric name`);
    }

    while (p < end && isBlank(s.charCodeAt(p))) p++;
    if (p >= end) this.fail("missing value");
    let tokenEnd = p;
    while (tokenEnd < end && !isBlank(s.charCodeAt(tokenEnd))) tokenEnd++;
    const value = this.number(p, tokenEnd, "value");
    this.valueTokens?.push(p, tokenEnd);
    p = tokenEnd;
    while (p < end && isBlank(s.charCodeAt(p))) p++;
    let ts = this.defaultTs;
    if (p < end && s.charCodeAt(p) !== C.HASH) {
      tokenEnd = p;
      while (tokenEnd < end && !isBlank(s.charCodeAt(tokenEnd))) tokenEnd++;
      ts = this.timestamp(p, tokenEnd);
      this.valueTokens = undefined;
      p = tokenEnd;
      while (p < end && isBlank(s.charCodeAt(p))) p++;
    }
    // What remains may only be an exemplar, which is not stored.
    if (p < end && s.charCodeAt(p) !== C.HASH) this.fail(`unexpected text after the sample: ${s.slice(p, Math.min(end, p + 40))}`);
    if (p < end) this.valueTokens = undefined; // an exemplar differs from scrape to scrape

    const key = canonical ? s.slice(nameStart, keyEnd) : seriesKey(s.slice(nameStart, nameEnd), labels);
    const existing = this.byKey.get(key);
    if (existing !== undefined) {
      this.valueTokens = undefined;
      existing.timestamps.push(ts);
      existing.values.push(value);
      return;
    }
    const name = s.slice(nameStart, nameEnd);
    if (this.family !== "" && name.startsWith(this.family)) this.checkFamilyMember(name, labels);
    const series: SeriesSamples = { name, labels, timestamps: [ts], values: [value], text: key };
    this.byKey.set(key, series);
    this.series.push(series);
  }

  /** Parses labels after `{` into `labels` (sorted, empty values dropped); returns the index after `}`. */
  private labelSet(p: number, labels: [string, string][]): number {
    const s = this.s;
    const end = this.end;
    let canonical = true;
    let sorted = true;
    let dropped = false;
    let prev = "";
    let afterComma = false;
    for (;;) {
      const before = p;
      while (p < end && isBlank(s.charCodeAt(p))) p++;
      if (p !== before) canonical = false;
      if (p >= end) this.fail("unterminated label set");
      if (s.charCodeAt(p) === C.CLOSE_BRACE) {
        if (afterComma) canonical = false;
        p++;
        break;
      }
      if (labels.length > 0 && !afterComma) this.fail(`expected "," or "}" in label set at column ${p - this.pos + 1}`);
      const nameStart = p;
      if (!is(s.charCodeAt(p), LABEL_START)) this.fail(`invalid label name at column ${p - this.pos + 1}`);
      p++;
      while (p < end && is(s.charCodeAt(p), LABEL_CHAR)) p++;
      const name = s.slice(nameStart, p);
      if (name === "__name__") this.fail('label name "__name__" is reserved');
      while (p < end && isBlank(s.charCodeAt(p))) p++;
      if (p >= end || s.charCodeAt(p) !== C.EQUALS) this.fail(`invalid label name or missing "=" after label ${name}`);
      p++;
      while (p < end && isBlank(s.charCodeAt(p))) p++;
      if (p >= end || s.charCodeAt(p) !== C.QUOTE) this.fail(`label ${name}: value must be a quoted string`);
      const valueStart = ++p;
      let escaped = false;
      for (;;) {
        if (p >= end) this.fail(`label ${name}: unterminated value`);
        const c = s.charCodeAt(p);
        if (c === C.QUOTE) break;
        if (c === C.BACKSLASH) {
          escaped = true;
          p += 2;
        } else p++;
      }
      let value = escaped ? unescape(s, valueStart, p, true) : s.slice(valueStart, p);
      p++;
      if (escaped) canonical = false;
      if (value.length > this.maxValueLen) {
        value = truncate(value, this.maxValueLen);
        canonical = false;
      }
      if (name <= prev) {
        if (name === prev) this.fail(`duplicate label name "${name}"`);
        sorted = false;
      }
      prev = name;
      if (value === "") dropped = true;
      labels.push([name, value]);

      const afterValue = p;
      while (p < end && isBlank(s.charCodeAt(p))) p++;
      if (p !== afterValue) canonical = false;
      afterComma = p < end && s.charCodeAt(p) === C.COMMA;
      if (afterComma) p++;
    }
    if (!sorted) {
      sortLabels(labels, (detail) => this.fail(detail));
      canonical = false;
    }
    if (dropped) {
      let w = 0;
      for (let r = 0; r < labels.length; r++) if (labels[r][1] !== "") labels[w++] = labels[r];
      labels.length = w;
      canonical = false;
    }
    this.canonicalLabels = canonical;
    return p;
  }

  /** Checks a new series of the family just described (its type's suffixes and required labels). */
  private checkFamilyMember(name: string, labels: [string, string][]): void {
    const type = this.familyType;
    const suffix = name.slice(this.family.length);
    if (!FAMILY_SUFFIXES[type].includes(suffix)) return; // another (undescribed) family
    if (suffix === "_bucket" && !hasLabel(labels, "le")) this.fail(`${name}: histogram bucket without an "le" label`);
    if (type === "summary" && suffix === "" && !hasLabel(labels, "quantile")) this.fail(`${name}: summary sample without a "quantile" label`);
    if (!this.om) return;
    if (type === "counter" && suffix === "") this.fail(`${name}: OpenMetrics counter samples must end in _total or _created`);
    if (type === "stateset" && !hasLabel(labels, name)) this.fail(`${name}: stateset sample without a "${name}" label`);
  }

  /** A float: decimal, NaN, ±Inf. */
  private number(a: number, b: number, what: string): number {
    return floatToken(this.s, a, b) ?? this.fail(`invalid ${what} "${this.s.slice(a, Math.min(b, a + 40))}"`);
  }

  /** Milliseconds: an integer in 0.0.4, (fractional) seconds in OpenMetrics. */
  private timestamp(a: number, b: number): number {
    if (this.om) {
      const seconds = this.number(a, b, "timestamp");
      if (!Number.isFinite(seconds)) this.fail("timestamp must be finite");
      return Math.round(seconds * 1000);
    }
    const s = this.s;
    let p = a;
    const negative = s.charCodeAt(p) === C.MINUS;
    if (negative) p++;
    if (p === b) this.fail("invalid timestamp");
    let ms = 0;
    for (; p < b; p++) {
      const c = s.charCodeAt(p);
      if (c < C.ZERO || c > C.NINE) this.fail(`invalid timestamp "${s.slice(a, Math.min(b, a + 40))}" (integer milliseconds expected)`);
      ms = ms * 10 + (c - C.ZERO);
    }
    if (ms > Number.MAX_SAFE_INTEGER) this.fail("timestamp out of range");
    return negative ? -ms : ms;
  }
}

function hasLabel(labels: [string, string][], name: string): boolean {
  for (let i = 0; i < labels.length; i++) if (labels[i][0] === name) return true;
  return false;
}

/**
 * Unescapes `s[a, b)`: `\\` and `\n` always, `\"` when `quotes` (label values, OpenMetrics HELP);
 * other backslashes are kept as written.
 */
function unescape(s: string, a: number, b: number, quotes: boolean): string {
  let out = "";
  let from = a;
  for (let p = a; p < b - 1; p++) {
    if (s.charCodeAt(p) !== C.BACKSLASH) continue;
    const next = s.charCodeAt(p + 1);
    const replacement = next === C.BACKSLASH ? "\\" : next === C.N ? "\n" : next === C.QUOTE && quotes ? '"' : undefined;
    if (replacement !== undefined) {
      out += s.slice(from, p) + replacement;
      from = p + 2;
    }
    p++; // the escaped character is never the start of another escape
  }
  return out + s.slice(from, b);
}

const NEEDS_ESCAPE = /[\\"\n]/;

/** The canonical `name{a="1",b="2"}` text of a series (labels already sorted). */
export function seriesKey(name: string, labels: [string, string][]): string {
  if (labels.length === 0) return name;
  let key = name + "{";
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i][1];
    key += (i > 0 ? "," : "") + labels[i][0] + '="' + (NEEDS_ESCAPE.test(v) ? v.replace(/[\\"\n]/g, escapeChar) : v) + '"';
  }
  return key + "}";
}

const escapeChar = (c: string) => (c === "\n" ? "\\n" : "\\" + c);
