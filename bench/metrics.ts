/**
 * Metric samples per second into the store, end to end (a 204 from remote_write means committed;
 * scraped samples count once stored, in steady state after every target's first scrape), against
 * the real collector process on a fresh SQLite file:
 *   - remote_write: concurrent clients posting snappy WriteRequests of 10,000 samples
 *     (5,000 series × 2 samples), as a Prometheus with several shards would;
 *   - scraping: 600 targets of 1,000 series scraped every second, the exposition served by this
 *     process: 600,000 samples/s offered, so that the figure can show more than the 500,000 target.
 * Then the decoders alone (bench/metrics-decode.ts).
 *   npm run bench:metrics   [BENCH_SECONDS=10] [BENCH_SCRAPE_TARGETS=600] [BENCH_SCRAPE_SECONDS=60]
 */
import { createServer } from "node:http";
import { Agent, request } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { SeriesSamples } from "../collectors/prometheus/series";
import { startCollectorProcess } from "../lib/testing/processes";
import { compressSnappy, encodeWriteRequest } from "../lib/testing/remote-write-client";
import { runMetricsDecodeBench, syntheticExposition } from "./metrics-decode";
import { rssMb } from "./process-memory";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET = 500_000;
const SERIES_PER_REQUEST = 5_000;
const SAMPLES_PER_SERIES = 2;
const CLIENTS = 8;
const SCRAPE_SECONDS = Number(process.env.BENCH_SCRAPE_SECONDS ?? 60);

/** Request k: its own 5,000 series (of 20,000) at its own two timestamps, so every sample is new. */
function writeRequest(k: number): Buffer {
  const group = k % 4;
  const t0 = 1_800_000_000_000 + Math.floor(k / 4) * 30_000;
  const series: SeriesSamples[] = Array.from({ length: SERIES_PER_REQUEST }, (_, i) => ({
    name: `app_requests_total`,
    labels: [["instance", `10.0.${group}.${i % 200}:9100`], ["job", "bench"], ["route", `/r/${Math.floor(i / 200)}`]],
    timestamps: [t0, t0 + 15_000],
    values: [k * 10 + i, k * 10 + i + 5],
  }));
  return Buffer.from(compressSnappy(encodeWriteRequest(series)));
}

function post(agent: Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/api/v1/write", method: "POST", agent,
      headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", "Content-Length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function countOf(path: string, query: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(query).get() as { n: number | null }).n ?? 0;
  } finally {
    db.close();
  }
}
const countRows = (path: string, table: string) => countOf(path, `SELECT COUNT(*) AS n FROM ${table}`);
/** Samples stored as rows (remote_write) and in scrape blocks. */
const storedSamples = (path: string) => countRows(path, "metric_samples") + countOf(path, `SELECT SUM(count) AS n FROM metric_blocks`);
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString("en");

async function remoteWritePhase(port: number, dbPath: string): Promise<number> {
  // Bodies are built before the clock starts: encoding is the sender's work, not the collector's.
  // Enough for 3× the target over the whole run (about 260 MB of bodies), so that a faster collector still runs out the clock.
  const needed = Math.ceil((TARGET * 3 * SECONDS) / (SERIES_PER_REQUEST * SAMPLES_PER_SERIES));
  const bodies = Array.from({ length: needed }, (_, k) => writeRequest(k));
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  let next = 0;
  let acked = 0;
  let refused = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < deadline && next < bodies.length) {
      const status = await post(agent, port, bodies[next++]);
      if (status === 204) acked += SERIES_PER_REQUEST * SAMPLES_PER_SERIES;
      else if (status === 429 || status === 503) { refused++; await new Promise((r) => setTimeout(r, 20)); }
      else throw new Error(`unexpected status ${status}`);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const perS = acked / elapsed;
  console.log(`remote_write: ${CLIENTS} clients, requests of ${SERIES_PER_REQUEST * SAMPLES_PER_SERIES} samples, ${elapsed.toFixed(1)} s: ` +
    `${rate(acked, elapsed)} samples/s committed (${(perS / TARGET).toFixed(2)}× the ${TARGET.toLocaleString("en")}/s target), ${refused} refused with 429/503; ` +
    `check: ${acked.toLocaleString("en")} acknowledged, ${storedSamples(dbPath).toLocaleString("en")} stored`);
  return perS;
}

/** Registers `targets` scrape targets on one local exposition server and counts samples stored per second. */
async function scrapePhase(dbPath: string, targets: number, collectorPid: number): Promise<number> {
  const exposition = syntheticExposition();
  const server = createServer((_req, res) => { res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }); res.end(exposition); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const db = new Database(dbPath);
  const insert = db.prepare(`INSERT INTO scrape_targets (id, url, job, interval_seconds, labels, created_ms) VALUES (?, ?, ?, 1, '{}', ?)`);
  for (let i = 0; i < targets; i++) insert.run(`bench-${i}`, `http://127.0.0.1:${port}/metrics?t=${i}`, `bench-${i}`, Date.now());
  db.close();
  const before = storedSamples(dbPath);
  // Count in steady state: once every target's series exist (its first scrape is stored), or after 60 s.
  const seriesCount = () => countRows(dbPath, "metric_series");
  const seriesWanted = seriesCount() + targets * 1000;
  const warmUntil = Date.now() + 60_000;
  while (Date.now() < warmUntil && seriesCount() < seriesWanted) await new Promise((r) => setTimeout(r, 1000));
  const from = storedSamples(dbPath);
  const started = performance.now();
  // Count over a whole minute: it includes a minute's rollup, which reads every block of the last one.
  await new Promise((r) => setTimeout(r, SCRAPE_SECONDS * 1000));
  const to = storedSamples(dbPath);
  const elapsed = (performance.now() - started) / 1000;
  const outcomes = new Database(dbPath, { readonly: true });
  for (const f of outcomes.prepare(`SELECT last_error AS error, COUNT(*) AS n FROM scrape_targets WHERE last_error IS NOT NULL GROUP BY 1`).all() as { error: string; n: number }[]) {
    console.log(`  ${f.n} targets' last scrape: ${f.error}`);
  }
  outcomes.close();
  server.close();
  server.closeAllConnections();
  const perS = (to - from) / elapsed;
  console.log(`scrape: ${targets} targets × 1,000 series every 1 s (${rate(targets * 1000, 1)}/s offered), ${elapsed.toFixed(1)} s: ${rate(to - from, elapsed)} samples/s stored ` +
    `(${(perS / TARGET).toFixed(2)}× the target; ${(to - before).toLocaleString("en")} stored in all; ${countRows(dbPath, "metric_series").toLocaleString("en")} series); ` +
    `collector RSS ${rssMb(collectorPid, "VmRSS").toFixed(0)} MB, peak ${rssMb(collectorPid, "VmHWM").toFixed(0)} MB`);
  return perS;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "pp-bench-metrics-"));
  const dbPath = join(dir, "bench.db");
  const collector = await startCollectorProcess({ DATABASE_URL: `file:${dbPath}`, PINCHPOINT_MAX_SERIES: "1000000" });
  try {
    console.log("metrics bench: samples committed to SQLite through the real collector");
    await remoteWritePhase(collector.port, dbPath);
    await scrapePhase(dbPath, Number(process.env.BENCH_SCRAPE_TARGETS ?? 600), collector.child.pid!);
  } finally {
    await collector.stop();
  }
  runMetricsDecodeBench({ seconds: 2, print: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
