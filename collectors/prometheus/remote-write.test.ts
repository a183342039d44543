/**
 * decodeWriteRequest on real bodies sent by Prometheus 2.42 (fixtures/remote-write-*.bin, scraping
 * node_exporter 1.5 on loopback; checked against protobufjs decoding the same bytes with the
 * prompb schema) and on hand-made messages: unknown fields, merges, odd spellings, malformed bodies.
 */
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { Pb } from "../otlp/otlp-test-support";
import { RemoteWriteError, type SeriesCatalog, decodeWriteRequest } from "./remote-write";
import type { SeriesSamples } from "./series";
import { SnappyError, snappyDecompress } from "./snappy";

const MB = 1 << 20;
const body = (name: string) => snappyDecompress(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)), 16 * MB);

// The prompb messages (prometheus/prompb types.proto, remote.proto) for the independent decoding.
const PROMPB = protobuf.parse(`
  syntax = "proto3";
  package prometheus;
  message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
  message MetricMetadata {
    enum MetricType { UNKNOWN = 0; COUNTER = 1; GAUGE = 2; HISTOGRAM = 3; GAUGEHISTOGRAM = 4; SUMMARY = 5; INFO = 6; STATESET = 7; }
    MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5;
  }
  message Sample { double value = 1; int64 timestamp = 2; }
  message Label { string name = 1; string value = 2; }
  message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
`).root.lookupType("prometheus.WriteRequest");

interface PbWriteRequest {
  timeseries?: { labels?: { name: string; value: string }[]; samples?: { value: number; timestamp: number }[] }[];
  metadata?: { type: string; metricFamilyName: string; help?: string; unit?: string }[];
}

const reference = (bytes: Uint8Array) => PROMPB.toObject(PROMPB.decode(bytes), { longs: Number, enums: String, defaults: true }) as PbWriteRequest;
const seriesId = (name: string, labels: [string, string][]) => JSON.stringify([name, labels]);
/** Series without their `text` (the raw label bytes), for comparing with hand-written ones. */
const plain = (series: SeriesSamples[]) => series.map(({ text: _text, ...s }) => s);
const labelOf = (s: SeriesSamples, name: string) => s.labels.find((l) => l[0] === name)?.[1];

// Hand-made messages (field numbers of prompb).
const label = (name: string, value: string) => new Pb().string(1, name).string(2, value);
const sample = (value: number, timestampMs: number) => new Pb().double(1, value).varint(2, timestampMs);
function timeSeries(labels: [string, string][], samples: [number, number][] = [[1, 1000]]): Pb {
  const ts = new Pb();
  for (const [n, v] of labels) ts.message(1, label(n, v));
  for (const [v, t] of samples) ts.message(2, sample(v, t));
  return ts;
}
const request = (...series: Pb[]) => series.reduce((req, ts) => req.message(1, ts), new Pb()).bytes();
const UP: [string, string][] = [
  ["__name__", "up"],
  ["instance", "a:1"],
  ["job", "node"],
];

function expectRemoteWriteError(bytes: Uint8Array, message: string): void {
  let error: unknown;
  try {
    decodeWriteRequest(bytes, {});
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RemoteWriteError);
  expect((error as Error).message).toBe(message);
}

describe("decodeWriteRequest: bodies sent by Prometheus 2.42", () => {
  it.each(["remote-write-1.bin", "remote-write-2.bin"])("%s decodes as protobufjs does, with job / instance on every series", (name) => {
    const bytes = body(name);
    const { series, metadata, skippedHistograms } = decodeWriteRequest(bytes, {});
    const ref = reference(bytes);
    expect(metadata.size).toBe(0);
    expect(skippedHistograms).toBe(0);

    const refSamples = ref.timeseries!.reduce((n, ts) => n + (ts.samples?.length ?? 0), 0);
    expect(series.reduce((n, s) => n + s.values.length, 0)).toBe(refSamples);
    expect(refSamples).toBe(200); // queue_config.max_samples_per_send

    const expected = new Map<string, { values: number[]; timestamps: number[] }>();
    for (const ts of ref.timeseries!) {
      const labels = ts.labels!.filter((l) => l.name !== "__name__" && l.value !== "").map((l): [string, string] => [l.name, l.value]);
      labels.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      const id = seriesId(ts.labels!.find((l) => l.name === "__name__")!.value, labels);
      const entry = expected.get(id) ?? { values: [], timestamps: [] };
      for (const s of ts.samples!) {
        entry.values.push(s.value);
        entry.timestamps.push(s.timestamp);
      }
      expected.set(id, entry);
    }
    expect(new Map(series.map((s) => [seriesId(s.name, s.labels), { values: s.values, timestamps: s.timestamps }]))).toEqual(expected);

    for (const s of series) {
      expect(s.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      expect(labelOf(s, "job")).toBe("node");
      expect(labelOf(s, "instance")).toBe("127.0.0.1:19100");
      expect(s.labels.map((l) => l[0])).toEqual(s.labels.map((l) => l[0]).sort());
    }
  });

  it("finds known series", () => {
    const first = decodeWriteRequest(body("remote-write-1.bin"), {}).series;
    expect(first.filter((s) => s.name === "node_cpu_seconds_total")).toHaveLength(16); // 8 modes × 2 cores
    expect(first.find((s) => s.name === "node_memory_MemTotal_bytes")?.values).toEqual([25276502016]);
    expect(first.filter((s) => s.name === "go_gc_duration_seconds").map((s) => labelOf(s, "quantile"))).toEqual(["0", "0.25", "0.5", "0.75", "1"]);
    const second = decodeWriteRequest(body("remote-write-2.bin"), {}).series;
    const lo = second.find((s) => s.name === "node_network_info" && labelOf(s, "device") === "lo")!;
    expect(lo.labels.map((l) => l[0])).toEqual(["address", "broadcast", "device", "instance", "job", "operstate"]); // no empty duplex / ifalias
  });

  it("reads the metadata request", () => {
    const bytes = body("remote-write-metadata.bin");
    const { series, metadata } = decodeWriteRequest(bytes, {});
    expect(series).toHaveLength(0);
    const ref = reference(bytes).metadata!;
    expect(metadata.size).toBe(ref.length);
    expect(metadata.size).toBe(283); // the families of the node_exporter fixture
    for (const m of ref) {
      expect(metadata.get(m.metricFamilyName)).toEqual({ type: m.type.toLowerCase(), ...(m.help ? { help: m.help } : {}), ...(m.unit ? { unit: m.unit } : {}) });
    }
    expect(metadata.get("node_cpu_seconds_total")).toEqual({ type: "counter", help: "Seconds the CPUs spent in each mode." });
    expect(metadata.get("go_gc_duration_seconds")?.type).toBe("summary");
  });
});

describe("decodeWriteRequest: hand-made requests", () => {
  it("sorts labels, drops empty values and the __name__ label, reads negative timestamps", () => {
    const { series } = decodeWriteRequest(request(timeSeries([["zone", "eu"], ["__name__", "m"], ["empty", ""], ["az", "1"]], [[2.5, -1500]])));
    expect(plain(series)).toEqual([{ name: "m", labels: [["az", "1"], ["zone", "eu"]], timestamps: [-1500], values: [2.5] }]);
  });

  it("merges the TimeSeries of one series, whatever their label order or encoding", () => {
    const valueFirst = new Pb().message(1, new Pb().string(2, "up").string(1, "__name__")).message(1, label("instance", "a:1")).message(1, label("job", "node")).message(2, sample(4, 4000));
    const { series } = decodeWriteRequest(
      request(
        timeSeries(UP, [[1, 1000]]),
        timeSeries([["__name__", "other"]], [[9, 1000]]),
        timeSeries([UP[2], UP[0], UP[1]], [[2, 2000]]),
        timeSeries([...UP, ["empty", ""]], [[3, 3000]]),
        valueFirst,
        timeSeries(UP, [[5, 5000]]),
      ),
    );
    expect(plain(series)).toEqual([
      { name: "up", labels: [["instance", "a:1"], ["job", "node"]], timestamps: [1000, 2000, 3000, 4000, 5000], values: [1, 2, 3, 4, 5] },
      { name: "other", labels: [], timestamps: [1000], values: [9] },
    ]);
  });

  it("keeps several samples of one TimeSeries and special float values", () => {
    const { series } = decodeWriteRequest(request(timeSeries(UP, [[NaN, 1], [Infinity, 2], [-Infinity, 3], [0, 4]])));
    expect(series[0].values).toEqual([NaN, Infinity, -Infinity, 0]);
    expect(series[0].timestamps).toEqual([1, 2, 3, 4]);
  });

  it("skips unknown fields of every wire type, exemplars and native histograms (counted)", () => {
    const unknown = (pb: Pb) => pb.varint(15, 7).fixed64(16, 1n).fixed32(17, 1).string(18, "x");
    const ts = unknown(timeSeries(UP))
      .message(3, new Pb().message(1, label("trace_id", "abc")).double(2, 1).varint(3, 1000)) // exemplar
      .message(4, new Pb().varint(1, 5).double(3, 1.5)) // native histogram
      .message(4, new Pb().varint(1, 6));
    const req = unknown(new Pb().message(1, ts).message(3, unknown(new Pb().varint(1, 2).string(2, "up").string(4, "help"))));
    const { series, metadata, skippedHistograms } = decodeWriteRequest(req.bytes());
    expect(plain(series)).toEqual([{ name: "up", labels: [["instance", "a:1"], ["job", "node"]], timestamps: [1000], values: [1] }]);
    expect(skippedHistograms).toBe(2);
    expect(metadata.get("up")).toEqual({ type: "gauge", help: "help" });
  });

  it("skips unknown fields inside Label and Sample", () => {
    const ts = new Pb().message(1, label("__name__", "up").varint(9, 1)).message(2, sample(7, 1000).string(9, "x"));
    expect(plain(decodeWriteRequest(request(ts)).series)).toEqual([{ name: "up", labels: [], timestamps: [1000], values: [7] }]);
  });

  it("maps every metadata type and unknown enum values", () => {
    const types = ["unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"];
    const req = new Pb();
    types.forEach((_, i) => req.message(3, new Pb().varint(1, i).string(2, `m${i}`).string(5, "seconds")));
    req.message(3, new Pb().varint(1, 99).string(2, "m99"));
    const { metadata } = decodeWriteRequest(req.bytes());
    expect(types.map((_, i) => metadata.get(`m${i}`))).toEqual(types.map((type) => ({ type, unit: "seconds" })));
    expect(metadata.get("m99")).toEqual({ type: "unknown" });
  });

  it("cuts label values to maxLabelValueLength (series that become equal merge)", () => {
    const req = request(timeSeries([["__name__", "m"], ["v", "abcdef"]], [[1, 1]]), timeSeries([["__name__", "m"], ["v", "abcxyz"]], [[2, 2]]));
    expect(plain(decodeWriteRequest(req, { maxLabelValueLength: 3 }).series)).toEqual([{ name: "m", labels: [["v", "abc"]], timestamps: [1, 2], values: [1, 2] }]);
  });

  it("merges series whose label values are invalid UTF-8 spelled differently (both decode to U+FFFD)", () => {
    const ts = (bad: number[]) => new Pb().message(1, label("__name__", "m")).message(1, new Pb().string(1, "v").len(2, bad)).message(2, sample(1, 1));
    const { series } = decodeWriteRequest(request(ts([0xff]), ts([0xfe])));
    expect(plain(series)).toEqual([{ name: "m", labels: [["v", "\uFFFD"]], timestamps: [1, 1], values: [1, 1] }]);
  });

  it("decodes UTF-8 label values", () => {
    expect(decodeWriteRequest(request(timeSeries([...UP, ["path", "/café/😀"]]))).series[0].labels).toContainEqual(["path", "/café/😀"]);
  });
});

describe("decodeWriteRequest: malformed requests", () => {
  it("rejects a series without __name__", () => {
    expectRemoteWriteError(request(timeSeries(UP), timeSeries([["job", "node"]])), "TimeSeries #1 has no __name__ label at byte 64");
  });

  it("rejects repeated label names and empty label names", () => {
    expectRemoteWriteError(request(timeSeries([...UP, ["job", "x"]])), 'TimeSeries #0: duplicate label name "job" at byte 2');
    expectRemoteWriteError(request(timeSeries([...UP, ["", "x"]])), "TimeSeries #0 has a label with an empty name at byte 2");
  });

  it("rejects known fields with the wrong wire type", () => {
    expectRemoteWriteError(new Pb().varint(1, 5).bytes(), "WriteRequest.timeseries (field 1) has wire type varint, expected len at byte 0");
    expectRemoteWriteError(request(timeSeries(UP).varint(2, 1)), "TimeSeries.samples (field 2) has wire type varint, expected len at byte 62");
    expectRemoteWriteError(request(new Pb().message(1, label("__name__", "up")).message(2, new Pb().fixed64(2, 1000n))), "Sample.timestamp (field 2) has wire type i64, expected varint at byte 20");
    expectRemoteWriteError(request(new Pb().message(1, new Pb().varint(1, 3))), "Label.name (field 1) has wire type varint, expected len at byte 4");
  });

  it("rejects lengths that run past their message, and truncated values", () => {
    const good = request(timeSeries(UP));
    expectRemoteWriteError(good.subarray(0, good.length - 3), "length 60 runs past the end of the enclosing message (57 bytes left) at byte 1");
    const inner = Uint8Array.from([0x0a, 4, 0x0a, 10, 0x0a, 3]); // TimeSeries > Label claiming 10 bytes in 2
    expectRemoteWriteError(inner, "length 10 runs past the end of the enclosing message (2 bytes left) at byte 3");
    expectRemoteWriteError(Uint8Array.from([0x0a, 3, 0x12, 1, 0x09]), "truncated double at byte 5");
    expectRemoteWriteError(Uint8Array.from([0x0a, 0x80]), "truncated varint at byte 1");
  });

  it("refuses a snappy bomb before decoding", () => {
    expect(() => snappyDecompress(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x08), 64 * MB)).toThrow(SnappyError);
    expect(() => snappyDecompress(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x08), 64 * MB)).toThrow("uncompressed length 2147483648 exceeds the limit of 67108864 bytes");
  });
});

describe("decodeWriteRequest across requests", () => {
  const text = (b: DataView, start: number, end: number) => Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("latin1");

  it("gives each series the raw bytes of its labels as text, and decodes a known series from them alone", () => {
    const first = decodeWriteRequest(body("remote-write-1.bin"));
    const known = new Map(first.series.map((s) => [s.text!, { name: s.name, labels: s.labels }]));
    expect(known.size).toBe(first.series.length);
    const catalog = (labels: typeof known): SeriesCatalog => ({ lookup: (b, s, e) => labels.get(text(b, s, e)) });
    const again = decodeWriteRequest(body("remote-write-1.bin"), { catalog: catalog(known) });
    expect(again.series).toEqual(first.series);
    expect(again.stored.keys).toHaveLength(0);
    // A known entry is taken as it stands: the labels are not read again.
    const [firstText] = known.keys();
    const marked = new Map(known).set(firstText, { name: "renamed", labels: [] });
    expect(decodeWriteRequest(body("remote-write-1.bin"), { catalog: catalog(marked) }).series[0]).toMatchObject({ name: "renamed", labels: [] });
  });

  it("puts the samples of stored series in key columns, in order, and decodes the others", () => {
    const first = decodeWriteRequest(body("remote-write-1.bin"));
    const storedKeys = new Map(first.series.filter((_, i) => i % 2 === 0).map((s, i) => [s.text!, i + 1]));
    const { series, stored } = decodeWriteRequest(body("remote-write-1.bin"), { catalog: { lookup: (b, s, e) => {
      const storedKey = storedKeys.get(text(b, s, e));
      return storedKey === undefined ? undefined : { name: "", labels: [], storedKey };
    } } });
    expect(series).toEqual(first.series.filter((_, i) => i % 2 === 1));
    const expected = first.series.filter((_, i) => i % 2 === 0).flatMap((s, i) => s.values.map((v, j) => [i + 1, s.timestamps[j], v]));
    expect(Array.from(stored.keys, (k, i) => [k, stored.ts[i], stored.values[i]])).toEqual(expected);
    // Exact columns: a view would carry its whole buffer to the write thread.
    expect(stored.keys.buffer.byteLength).toBe(expected.length * 8);
  });

  it("grows the columns past its first guess, keeping NaN", () => {
    const many = Array.from({ length: 300 }, (_, i): [number, number] => [i === 7 ? NaN : i, i * 1000]);
    const { stored } = decodeWriteRequest(request(timeSeries(UP, many), timeSeries(UP, [[1, 1]])), { catalog: { lookup: () => ({ name: "", labels: [], storedKey: 42 }) } });
    expect(stored.keys).toHaveLength(301);
    expect(stored.keys.every((k) => k === 42)).toBe(true);
    expect(Array.from(stored.values.subarray(0, 9))).toEqual([0, 1, 2, 3, 4, 5, 6, NaN, 8]);
    expect([stored.ts[299], stored.ts[300], stored.values[300]]).toEqual([299_000, 1, 1]);
  });
});
