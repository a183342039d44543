/**
 * Decode-only throughput of the Prometheus decoders (collectors/prometheus), in samples per second:
 *
 * - parseExposition on a synthetic 1,000-series exposition (histograms, counters and gauges with
 *   3-4 labels, as an instrumented service exposes them) and on real node_exporter 1.5 output
 *   (collectors/prometheus/fixtures);
 * - snappyDecompress + decodeWriteRequest on WriteRequests of 10,000 samples (one TimeSeries per
 *   sample, as Prometheus sends them) compressed by snappyjs: 10,000 series × 1 sample (a series
 *   rarely repeats within one request) and 1,000 series × 10 samples.
 *
 *   node --import tsx bench/metrics-decode.ts
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Pb } from "../collectors/otlp/otlp-test-support";
import { decodeWriteRequest } from "../collectors/prometheus/remote-write";
import { snappyDecompress } from "../collectors/prometheus/snappy";
import { parseExposition, readShaped } from "../collectors/prometheus/text-format";
import { isMain } from "./is-main";

export interface MetricsDecodeBenchResult {
  syntheticExpositionSamplesPerSecond: number;
  nodeExporterSamplesPerSecond: number;
  /** The synthetic exposition scraped again: read by its shape (text compared, values parsed). */
  shapedExpositionSamplesPerSecond: number;
  /** 10,000 series × 1 sample: every TimeSeries is a new series (the usual request). */
  remoteWriteSamplesPerSecond: number;
  /** 1,000 series × 10 samples: repeated series are found by their label bytes, without decoding. */
  remoteWriteRepeatedSeriesSamplesPerSecond: number;
}

const snappyjs = createRequire(import.meta.url)("snappyjs") as { compress(input: Uint8Array): Uint8Array };
const NODE_EXPORTER_FIXTURE = fileURLToPath(new URL("../collectors/prometheus/fixtures/node-exporter-1.5.prom", import.meta.url));
const NOW = 1_760_000_000_000;

const METHODS = ["GET", "POST", "PUT", "DELETE"];
const ROUTES = ["/v1/orders", "/v1/orders/:id", "/v1/carts/:id", "/v1/payments", "/healthz"];

/** 1,000 series: a request-duration histogram (12 buckets + sum + count per route and method), counters and gauges. */
export function syntheticExposition(): string {
  const lines: string[] = [];
  let series = 0;
  const buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
  lines.push("# HELP http_server_request_duration_seconds Duration of HTTP server requests.", "# TYPE http_server_request_duration_seconds histogram");
  for (const method of METHODS) {
    for (const route of ROUTES) {
      const base = `method="${method}",route="${route}",service="checkout-api"`;
      let cumulative = 0;
      for (const le of buckets) {
        cumulative += (series * 37) % 101;
        lines.push(`http_server_request_duration_seconds_bucket{le="${le}",${base}} ${cumulative}`);
        series++;
      }
      lines.push(`http_server_request_duration_seconds_sum{${base}} ${(cumulative * 0.0731).toFixed(6)}`);
      lines.push(`http_server_request_duration_seconds_count{${base}} ${cumulative}`);
      series += 2;
    }
  }
  lines.push("# HELP db_client_operations_total Database operations.", "# TYPE db_client_operations_total counter");
  for (let i = 0; series < 800; i++, series++) {
    lines.push(`db_client_operations_total{db="orders",operation="op_${i}",status="ok"} ${1000 + i * 17}`);
  }
  lines.push("# HELP queue_depth Items waiting per queue.", "# TYPE queue_depth gauge");
  for (let i = 0; series < 1000; i++, series++) {
    lines.push(`queue_depth{partition="${i}",queue="payments"} ${(i * 1.37e-3).toExponential(3)}`);
  }
  return lines.join("\n") + "\n";
}

/** A remote_write WriteRequest: `series` series × `samplesPerSeries` samples, one TimeSeries each. */
export function syntheticWriteRequest(series = 10_000, samplesPerSeries = 1): Uint8Array {
  const request = new Pb();
  for (let s = 0; s < samplesPerSeries; s++) {
    for (let i = 0; i < series; i++) {
      const ts = new Pb();
      const labels: [string, string][] = [
        ["__name__", `app_metric_${i % 50}_total`],
        ["instance", `10.0.${i % 7}.${i % 13}:9100`],
        ["job", "node"],
        ["shard", String(i)],
      ];
      for (const [name, value] of labels) ts.message(1, new Pb().string(1, name).string(2, value));
      ts.message(2, new Pb().double(1, i * 1.5 + s).varint(2, NOW + s * 15_000));
      request.message(1, ts);
    }
  }
  return request.bytes();
}

/** Runs `fn` repeatedly for about `seconds`; returns runs per second. */
function measure(fn: () => void, seconds: number): number {
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    runs++;
    elapsed = performance.now() - start;
  } while (elapsed < seconds * 1000);
  return (runs * 1000) / elapsed;
}

function samplesOf(result: { series: { values: number[] }[] }): number {
  let n = 0;
  for (const s of result.series) n += s.values.length;
  return n;
}

export function runMetricsDecodeBench(opts: { seconds?: number; print?: boolean } = {}): MetricsDecodeBenchResult {
  const seconds = opts.seconds ?? 2;
  const synthetic = syntheticExposition();
  const nodeExporter = readFileSync(NODE_EXPORTER_FIXTURE, "utf8");
  const compressed = snappyjs.compress(syntheticWriteRequest());
  const repeated = snappyjs.compress(syntheticWriteRequest(1000, 10));

  const parse = (text: string) => () => parseExposition(text, { defaultTimestampMs: NOW, maxLabelValueLength: 4096 });
  const decode = (body: Uint8Array) => () => decodeWriteRequest(snappyDecompress(body, 64 << 20), { maxLabelValueLength: 4096 });
  const rate = (fn: () => { series: { values: number[] }[] }) => {
    const samples = samplesOf(fn());
    measure(fn, seconds / 2); // warm-up
    return Math.round(samples * measure(fn, seconds));
  };

  const { shape, series } = parseExposition(synthetic, { defaultTimestampMs: NOW, shape: true });
  const body = Buffer.from(synthetic);
  const into = new Float64Array(series.length);
  const reread = () => {
    if (!readShaped(body, shape!, into)) throw new Error("the synthetic exposition lost its shape");
    return { series };
  };

  const result: MetricsDecodeBenchResult = {
    syntheticExpositionSamplesPerSecond: rate(parse(synthetic)),
    shapedExpositionSamplesPerSecond: rate(reread),
    nodeExporterSamplesPerSecond: rate(parse(nodeExporter)),
    remoteWriteSamplesPerSecond: rate(decode(compressed)),
    remoteWriteRepeatedSeriesSamplesPerSecond: rate(decode(repeated)),
  };
  if (opts.print ?? true) {
    console.log(`parseExposition (synthetic, 1,000 series, ${synthetic.length} chars): ${result.syntheticExpositionSamplesPerSecond} samples/s`);
    console.log(`readShaped (the synthetic exposition scraped again): ${result.shapedExpositionSamplesPerSecond} samples/s`);
    console.log(`parseExposition (node_exporter 1.5 fixture, ${nodeExporter.length} chars): ${result.nodeExporterSamplesPerSecond} samples/s`);
    console.log(`snappy + decodeWriteRequest (10,000 series × 1 sample, ${compressed.length} bytes compressed): ${result.remoteWriteSamplesPerSecond} samples/s`);
    console.log(`snappy + decodeWriteRequest (1,000 series × 10 samples, ${repeated.length} bytes compressed): ${result.remoteWriteRepeatedSeriesSamplesPerSecond} samples/s`);
  }
  return result;
}

if (isMain(import.meta.url)) runMetricsDecodeBench();
