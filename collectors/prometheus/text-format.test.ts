/**
 * parseExposition: edge cases of the text format 0.0.4 and OpenMetrics 1.0, and real expositions
 * (fixtures/): node_exporter 1.5 and Prometheus 2.42 /metrics as served on this machine (both send
 * text 0.0.4 even when asked for OpenMetrics), and the OpenMetrics conformance suite's "roundtrip"
 * exposition (OpenObservability/OpenMetrics tests/testdata/parsers/roundtrip/metrics.txt).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SeriesSamples } from "./series";
import { ExpositionError, parseExposition, readShaped } from "./text-format";

const NOW = 1_760_000_000_000;
const parse = (text: string, openMetrics = false, maxLabelValueLength?: number) =>
  parseExposition(text, { defaultTimestampMs: NOW, openMetrics, maxLabelValueLength });
const om = (text: string) => parse(text, true);
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

function expectError(text: string, message: string, openMetrics = false): void {
  let error: unknown;
  try {
    parse(text, openMetrics);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ExpositionError);
  expect((error as Error).message).toBe(message);
}

const one = (text: string, openMetrics = false): SeriesSamples => {
  const { series } = parse(text, openMetrics);
  expect(series).toHaveLength(1);
  return series[0];
};

describe("parseExposition: samples", () => {
  it("reads names, sorted labels, values and the default timestamp", () => {
    const { series } = parse('b_metric{zone="eu",az="1"} 3\na_metric 1.5\n');
    expect(series).toEqual([
      // text: the line's own series text, the cache key of repeated scrapes.
      { name: "b_metric", labels: [["az", "1"], ["zone", "eu"]], timestamps: [NOW], values: [3], text: 'b_metric{az="1",zone="eu"}' },
      { name: "a_metric", labels: [], timestamps: [NOW], values: [1.5], text: "a_metric" },
    ]);
  });

  it("reads NaN, ±Inf and the float spellings Go's ParseFloat takes", () => {
    const values = parse("a NaN\nb +Inf\nc -Inf\nd Inf\ne 1e3\nf -2.5E-3\ng .5\n").series.map((s) => s.values[0]);
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([Infinity, -Infinity, Infinity, 1000, -0.0025, 0.5]);
  });

  it("parses decimals exactly as Number() does (fast path and fallback)", () => {
    const texts = ["0.1", "0.013759906", "0.021383540000000003", "2.478268416e+09", "1.345758e+06", "123456789012345", "1234567890123456789", "1e-300", "9007199254740993", "-0", "5e22", "5e23"];
    const { series } = parse(texts.map((t, i) => `m${i} ${t}`).join("\n"));
    expect(series.map((s) => s.values[0])).toEqual(texts.map(Number));
    expect(Object.is(series[9].values[0], -0)).toBe(true);
  });

  it("keeps explicit timestamps: integer ms in 0.0.4, seconds with decimals in OpenMetrics", () => {
    expect(one("a 1 1760000000123").timestamps).toEqual([1760000000123]);
    expect(one("a 1 -5").timestamps).toEqual([-5]);
    expect(om("a 1 1760000000.123\n# EOF\n").series[0].timestamps).toEqual([1760000000123]);
    expect(om("a 1 1520430000\n# EOF\n").series[0].timestamps).toEqual([1520430000000]);
  });

  it("groups several lines of one series (any label order or spelling) into one SeriesSamples", () => {
    const { series } = parse('a{x="1",y="2"} 1 1000\nb 7\na{y="2", x="1",} 2 2000\na { x = "1" , y="2"} 3 3000\n');
    expect(series).toEqual([
      { name: "a", labels: [["x", "1"], ["y", "2"]], timestamps: [1000, 2000, 3000], values: [1, 2, 3], text: 'a{x="1",y="2"}' },
      { name: "b", labels: [], timestamps: [NOW], values: [7], text: "b" },
    ]);
  });

  it("unescapes label values (\\\\, \\\", \\n) and keeps unknown escapes as written", () => {
    const s = one('a{p="C:\\\\dir",q="say \\"hi\\"",r="two\\nlines",s="\\z"} 1');
    expect(s.labels).toEqual([
      ["p", "C:\\dir"],
      ["q", 'say "hi"'],
      ["r", "two\nlines"],
      ["s", "\\z"],
    ]);
  });

  it("tells escaped and unescaped spellings of one value apart from different values", () => {
    const { series } = parse('a{v="x\\"y"} 1\na{v="x\\\\"} 2\na{v="x\\\\\\"y"} 3\na{v="x\\"y"} 4\n');
    expect(series.map((s) => [s.labels[0][1], s.values])).toEqual([
      ['x"y', [1, 4]],
      ["x\\", [2]],
      ['x\\"y', [3]],
    ]);
  });

  it("drops labels with an empty value, as Prometheus stores them", () => {
    const { series } = parse('a{x="",y="1"} 1\na{y="1"} 2\n');
    expect(series).toEqual([{ name: "a", labels: [["y", "1"]], timestamps: [NOW, NOW], values: [1, 2], text: 'a{y="1"}' }]);
  });

  it("keeps label values with spaces, braces, commas, # and UTF-8", () => {
    expect(one('a{v="x } , # {y=\\"z\\"} 1 😀"} 1 # {t="1"} 1').labels).toEqual([["v", 'x } , # {y="z"} 1 😀']]);
  });

  it("cuts label values to maxLabelValueLength without splitting a surrogate pair", () => {
    const { series } = parse('a{v="abcdef"} 1\na{v="abcxyz"} 2\nb{v="ab😀"} 3\n', false, 3);
    expect(series.map((s) => [s.name, s.labels, s.values])).toEqual([
      ["a", [["v", "abc"]], [1, 2]],
      ["b", [["v", "ab"]], [3]],
    ]);
  });

  it("accepts blank lines, comments, leading and trailing whitespace and Windows line endings", () => {
    const { series, metadata } = parse("\r\n# just a comment\r\n  # TYPE a gauge\r\n\t\r\na{x=\"1\"}  5 \t\r\n\r\nb 6\r\n  c 7");
    expect(series.map((s) => [s.name, s.values[0]])).toEqual([
      ["a", 5],
      ["b", 6],
      ["c", 7],
    ]);
    expect(metadata.get("a")).toEqual({ type: "gauge" });
  });

  it("skips exemplars after ' # ' (with or without a timestamp)", () => {
    const text = '# TYPE r counter\nr_total{m="GET"} 17 # {trace_id="abc"} 1 1520879607.789\nr_created 1520430000.1 # {a="b"} 0.5\n# EOF\n';
    const { series } = om(text);
    expect(series.map((s) => [s.name, s.values[0]])).toEqual([
      ["r_total", 17],
      ["r_created", 1520430000.1],
    ]);
    expect(one('a 1 1000 # {trace_id="x"} 2').timestamps).toEqual([1000]);
  });
});

describe("parseExposition: descriptors and families", () => {
  it("reads # TYPE / # HELP (with its escapes) / # UNIT into metadata by family", () => {
    const { metadata } = parse('# HELP a first \\\\ line\\nsecond "q" \\"\n# TYPE a counter\na 1\n# TYPE b summary\nb_sum 1\n');
    expect(metadata.get("a")).toEqual({ type: "counter", help: 'first \\ line\nsecond "q" \\"' });
    expect(metadata.get("b")).toEqual({ type: "summary" });
    const m = om('# TYPE d gauge\n# UNIT d seconds\n# HELP d he\\"lp\nd 1\n# EOF').metadata;
    expect(m.get("d")).toEqual({ type: "gauge", unit: "seconds", help: 'he"lp' });
  });

  it("reads counters, histograms, gauge histograms, summaries, info and stateset families", () => {
    const text = [
      "# TYPE c counter",
      'c_total{a="1"} 5',
      'c_created{a="1"} 1520430000.5',
      "# TYPE h histogram",
      'h_bucket{le="0.5"} 1',
      'h_bucket{le="+Inf"} 3',
      "h_sum 2.5",
      "h_count 3",
      "# TYPE g gaugehistogram",
      'g_bucket{le="1"} 2',
      'g_bucket{le="+Inf"} 4',
      "g_gcount 4",
      "g_gsum 3",
      "# TYPE s summary",
      's{quantile="0.5"} 0.2',
      "s_sum 9",
      "s_count 12",
      "# TYPE i info",
      'i_info{version="1.2"} 1',
      "# TYPE st stateset",
      'st{st="a"} 1',
      'st{st="b"} 0',
      "# TYPE u unknown",
      "u 1",
      "# EOF",
    ].join("\n");
    const { series, metadata } = om(text);
    expect(series.map((s) => s.name)).toEqual(["c_total", "c_created", "h_bucket", "h_bucket", "h_sum", "h_count", "g_bucket", "g_bucket", "g_gcount", "g_gsum", "s", "s_sum", "s_count", "i_info", "st", "st", "u"]);
    expect([...metadata].map(([name, m]) => `${name}:${m.type}`)).toEqual(["c:counter", "h:histogram", "g:gaugehistogram", "s:summary", "i:info", "st:stateset", "u:unknown"]);
    expect(series[3].labels).toEqual([["le", "+Inf"]]);
  });

  it("defaults families with only # HELP to untyped (0.0.4) / unknown (OpenMetrics)", () => {
    expect(parse("# HELP x some help\nx 1\n").metadata.get("x")).toEqual({ type: "untyped", help: "some help" });
    expect(om("# HELP x some help\nx 1\n# EOF\n").metadata.get("x")).toEqual({ type: "unknown", help: "some help" });
  });

  it("requires le on histogram buckets and quantile on summary samples", () => {
    expectError("# TYPE h histogram\nh_bucket 1\n", 'line 2: h_bucket: histogram bucket without an "le" label');
    expectError("# TYPE s summary\ns 1\n", 'line 2: s: summary sample without a "quantile" label');
  });

  it("in OpenMetrics: requires _total on counter samples and the state label on statesets", () => {
    expectError("# TYPE c counter\nc 1\n# EOF\n", "line 2: c: OpenMetrics counter samples must end in _total or _created", true);
    expectError("# TYPE st stateset\nst 1\n# EOF\n", 'line 2: st: stateset sample without a "st" label', true);
    expect(parse("# TYPE c counter\nc 1\n").series[0].name).toBe("c"); // fine in 0.0.4
  });

  it("rejects unknown types and repeated descriptors", () => {
    expectError("# TYPE a countr\n", 'line 1: unknown metric type "countr" for a');
    expectError("# TYPE a info\n", 'line 1: unknown metric type "info" for a'); // OpenMetrics only
    expectError("# TYPE a gauge\n# TYPE a gauge\n", "line 2: second # TYPE line for a");
    expectError("# HELP a x\n# HELP a y\n", "line 2: second # HELP line for a");
    expectError("# TYPE a-b gauge\n", "line 1: invalid metric name in # TYPE");
  });
});

describe("parseExposition: OpenMetrics framing", () => {
  it("requires # EOF and nothing after it", () => {
    expectError("a 1\n", "line 1: missing # EOF at the end of OpenMetrics text", true);
    expectError("a 1\n# EOF\na 2\n", "line 3: content after # EOF", true);
    expect(om("a 1\n# EOF").series).toHaveLength(1);
    expect(parse("a 1\n# EOF\n").series).toHaveLength(1); // just a comment in 0.0.4
  });

  it("rejects plain comments in OpenMetrics", () => {
    expectError("# hello\n# EOF\n", "line 1: unexpected comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF): # hello", true);
  });

  it("parses the OpenMetrics conformance suite's escaping case", () => {
    const { series, metadata } = om(fixture("openmetrics-escaping.om.txt"));
    expect(metadata.get("a")).toEqual({ type: "counter", help: "he\n\\l\\tp" });
    expect(series.map((s) => [s.labels, s.values])).toEqual([
      [[["foo", 'b"a\nr']], [1]],
      [[["foo", "b\\a\\z"]], [2]],
    ]);
  });
});

describe("parseExposition: malformed lines", () => {
  it.each([
    ["1abc 1", "line 1: invalid metric name at column 1"],
    ["a-b 1", 'line 1: invalid character "-" in metric name'],
    ['a{1x="1"} 1', "line 1: invalid label name at column 3"],
    ['a{x-y="1"} 1', 'line 1: invalid label name or missing "=" after label x'],
    ['a{x="1",x="2"} 1', 'line 1: duplicate label name "x"'],
    ['a{y="1",x="2",y="3"} 1', 'line 1: duplicate label name "y"'],
    ['a{__name__="b"} 1', 'line 1: label name "__name__" is reserved'],
    ["a{x=1} 1", "line 1: label x: value must be a quoted string"],
    ['a{x="1} 1', "line 1: label x: unterminated value"],
    ['a{x="1" y="2"} 1', 'line 1: expected "," or "}" in label set at column 9'],
    ['a{x="1"', "line 1: unterminated label set"],
    ['a{x="1"}1', "line 1: expected whitespace after the label set"],
    ["a", "line 1: missing value"],
    ['a{x="1"}', "line 1: missing value"],
    ["a abc", 'line 1: invalid value "abc"'],
    ["a 0x10", 'line 1: invalid value "0x10"'],
    ["a Infinityy", 'line 1: invalid value "Infinityy"'],
    ["a 1e", 'line 1: invalid value "1e"'],
    ["a 1 1.5", 'line 1: invalid timestamp "1.5" (integer milliseconds expected)'],
    ["a 1 2 3", "line 1: unexpected text after the sample: 3"],
  ])("%s → %s", (text, message) => {
    expectError(`${text}\n`, message);
  });

  it("names the line of the error", () => {
    expectError("a 1\n\n# TYPE b gauge\nb 2\nc{ 3\n", "line 5: invalid label name at column 4");
  });

  it("rejects non-finite OpenMetrics timestamps", () => {
    expectError("a 1 NaN\n# EOF\n", "line 1: timestamp must be finite", true);
  });
});

describe("parseExposition: real expositions", () => {
  it("node_exporter 1.5 (text 0.0.4)", () => {
    const { series, metadata } = parse(fixture("node-exporter-1.5.prom"));
    expect(series).toHaveLength(507);
    expect(metadata.size).toBe(283);
    expect(series.every((s) => s.values.length === 1 && s.timestamps[0] === NOW)).toBe(true);
    const cpu = series.filter((s) => s.name === "node_cpu_seconds_total");
    const cores = new Set(cpu.map((s) => s.labels.find((l) => l[0] === "cpu")![1]));
    expect(cpu).toHaveLength(8 * cores.size);
    expect(new Set(cpu.map((s) => s.labels.find((l) => l[0] === "mode")![1]))).toEqual(new Set(["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"]));
    expect(metadata.get("node_cpu_seconds_total")).toEqual({ type: "counter", help: "Seconds the CPUs spent in each mode." });
    expect(metadata.get("go_gc_duration_seconds")?.type).toBe("summary");
    const build = series.find((s) => s.name === "node_exporter_build_info")!;
    expect(build.labels).toContainEqual(["version", "1.5.0"]);
    // empty label values are dropped (node_disk_info has model="", serial="" …)
    expect(series.filter((s) => s.name === "node_disk_info").every((s) => s.labels.every(([, v]) => v !== ""))).toBe(true);
    const gc = series.filter((s) => s.name === "go_gc_duration_seconds").map((s) => s.labels[0][1]);
    expect(gc).toEqual(["0", "0.25", "0.5", "0.75", "1"]);
  });

  it("Prometheus 2.42 (text 0.0.4)", () => {
    const { series, metadata } = parse(fixture("prometheus-2.42.prom"));
    expect(series).toHaveLength(365);
    expect(metadata.size).toBe(199);
    const build = series.find((s) => s.name === "prometheus_build_info")!;
    expect(build.labels).toContainEqual(["version", "2.42.0+ds"]);
    expect(build.values).toEqual([1]);
    const buckets = series.filter((s) => s.name === "prometheus_tsdb_compaction_duration_seconds_bucket");
    expect(buckets).toHaveLength(15);
    expect(buckets.every((s) => s.labels.some((l) => l[0] === "le"))).toBe(true);
    expect(metadata.get("prometheus_tsdb_compaction_duration_seconds")?.type).toBe("histogram");
  });

  it("the OpenMetrics conformance suite's roundtrip exposition", () => {
    const { series, metadata } = om(fixture("openmetrics-roundtrip.om.txt"));
    expect(series).toHaveLength(38);
    expect(metadata.size).toBe(8);
    expect(series.find((s) => s.name === "foo_created")!.values).toEqual([1520430000.123]);
    expect(series.find((s) => s.name === "process_cpu_seconds_total")!.values).toEqual([29323.4]);
    const nan = series.filter((s) => s.name === "prometheus_local_storage_indexing_batch_duration_milliseconds");
    expect(nan.map((s) => s.values[0])).toEqual([NaN, NaN, NaN]);
    expect(series.find((s) => s.name === "foo_bucket" && s.labels[0][1] === "1.55555555555552e+06")!.values).toEqual([17]);
  });
});

describe("readShaped: the next exposition of a known shape", () => {
  const shapeOf = (text: string, openMetrics = false) => parseExposition(text, { defaultTimestampMs: NOW, openMetrics, shape: true }).shape;
  /** Reads `next` with the shape of `first`; where it matches, its values must be what a full parse gives. */
  function reread(first: string, next: string, openMetrics = false): number[] | undefined {
    const shape = shapeOf(first, openMetrics);
    expect(shape).toBeDefined();
    const into = new Float64Array(shape!.values.length / 2);
    if (!readShaped(Buffer.from(next), shape!, into)) return undefined;
    const full = parseExposition(next, { defaultTimestampMs: NOW, openMetrics }).series.map((s) => s.values[0]);
    expect([...into]).toEqual(full);
    return [...into];
  }

  it("reads new values, whatever their spelling, where only the values changed", () => {
    const first = '# HELP a Things.\n# TYPE a counter\na_total{x="1"} 3\nb 1.5\nc{le="+Inf"} 2\n';
    expect(reread(first, '# HELP a Things.\n# TYPE a counter\na_total{x="1"} 12345678\nb -2.5e-3\nc{le="+Inf"} NaN\n')).toEqual([12345678, -0.0025, NaN]);
    expect(reread(first, '# HELP a Things.\n# TYPE a counter\na_total{x="1"} +Inf\nb 0\nc{le="+Inf"} 7\n')).toEqual([Infinity, 0, 7]);
  });

  it("reads real expositions of node_exporter and Prometheus, and OpenMetrics up to # EOF", () => {
    for (const name of ["node-exporter-1.5.prom", "prometheus-2.42.prom"]) {
      const text = fixture(name);
      const bumped = text.replace(/^(\S+(?:\{[^}]*\})?) (\S+)$/gm, (_l, series: string, v: string) => `${series} ${Number(v) + 1}`);
      expect(bumped).not.toBe(text);
      expect(reread(text, bumped)).toHaveLength(parseExposition(text, { defaultTimestampMs: NOW }).series.length);
    }
    expect(reread("# TYPE a gauge\na 1\n# EOF\n", "# TYPE a gauge\na 2\n# EOF\n", true)).toEqual([2]);
    // Text outside ASCII before the values: byte offsets, not character offsets.
    expect(reread('# HELP a Température en °C.\na{city="Zürich"} 1\nb{emoji="🔥"} 2\n', '# HELP a Température en °C.\na{city="Zürich"} 21.25\nb{emoji="🔥"} -1\n')).toEqual([21.25, -1]);
  });

  it("refuses text that differs anywhere but in a value, leaving it to the full parse", () => {
    const first = 'a{x="1"} 1\nb 2\n';
    expect(reread(first, 'a{x="2"} 1\nb 2\n')).toBeUndefined(); // a label changed
    expect(reread(first, 'a{x="1"} 1\nb 2\nc 3\n')).toBeUndefined(); // a series came
    expect(reread(first, 'a{x="1"} 1\n')).toBeUndefined(); // a series went
    expect(reread(first, 'a{x="1"} 1\nb 2 1760000000000\n')).toBeUndefined(); // a timestamp came
    expect(reread(first, 'a{x="1"} 1\nb two\n')).toBeUndefined(); // not a number: the full parse reports it
    expect(reread(first, 'a{x="1"} \nb 2\n')).toBeUndefined();
  });

  it("is not taken of expositions whose next scrape cannot be read by values alone", () => {
    expect(shapeOf("a 1 1760000000000\n")).toBeUndefined(); // timestamps
    expect(shapeOf('# TYPE a counter\na_total 1 # {id="x"} 1\n# EOF\n', true)).toBeUndefined(); // exemplars
    expect(shapeOf("a 1 1\na 2 2\n")).toBeUndefined(); // a series with two samples
  });
});
