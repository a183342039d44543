/**
 * Sustained ingest through POST /v1/traces, end to end until committed (a 200 means committed):
 * protobuf batches of 500 spans × 10 attributes from concurrent clients against the real
 * collector process on a fresh SQLite file. Prints spans/s, request latency p50/p99, the
 * collector's peak RSS, how it pushes back under overload (429 + Retry-After), and the
 * decoder-only rate.   npm run bench:ingest   [BENCH_SECONDS=10] [BENCH_DATABASE_URL=postgresql://…]
 */
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { startCollectorProcess } from "../lib/testing/processes";
import { makeBenchSpans, runDecoderBench } from "./decoder";
import { rssMb } from "./process-memory";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/**
 * A request template whose traces get new random ids in every request, as real traffic has:
 * every request stores new rows, and the id index sees random inserts, not an easy append.
 */
function requestFactory() {
  const spans = makeBenchSpans(500);
  const template = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  const traces = [...new Set(spans.map((s) => s.spanContext().traceId))].map((id) => {
    const bytes = Buffer.from(id, "hex");
    const at: number[] = [];
    for (let i = template.indexOf(bytes); i >= 0; i = template.indexOf(bytes, i + 1)) at.push(i);
    return at;
  });
  return () => {
    const body = Buffer.from(template);
    for (const at of traces) {
      const id = randomBytes(16);
      for (const i of at) id.copy(body, i);
    }
    return { body, spans: spans.length };
  };
}

function post(agent: Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/v1/traces", method: "POST", agent,
      headers: { "Content-Type": "application/x-protobuf", "Content-Length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function phase(label: string, port: number, pid: number, clients: number, next: () => { body: Buffer; spans: number }) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let acked = 0;
  let refused = 0;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid, "VmRSS"))), 50);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < deadline) {
      const { body, spans } = next();
      const t = performance.now();
      const status = await post(agent, port, body);
      if (status === 200) {
        latencies.push(performance.now() - t);
        acked += spans;
      } else if (status === 429 || status === 503) {
        refused++;
        await new Promise((r) => setTimeout(r, 20)); // a real exporter would wait Retry-After
      } else throw new Error(`unexpected status ${status}`);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  console.log(`${label}: ${clients} clients, ${elapsed.toFixed(1)} s: ${Math.round(acked / elapsed).toLocaleString("en")} spans/s committed, ` +
    `request p50 ${pct(latencies, 0.5).toFixed(1)} ms p99 ${pct(latencies, 0.99).toFixed(1)} ms, ` +
    `${refused} requests refused with 429/503, collector RSS peak ${peakRss.toFixed(0)} MB`);
  return acked;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "pp-bench-"));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${join(dir, "bench.db")}`;
  const collector = await startCollectorProcess({ DATABASE_URL: databaseUrl });
  const pid = collector.child.pid!;
  const next = requestFactory();
  try {
    console.log(`ingest bench: protobuf requests of 500 spans × 10 attributes, store ${databaseUrl.split(":")[0]}`);
    // 16 clients keep the collector busy without queueing past it: its sustained rate.
    let acked = await phase("sustained", collector.port, pid, 16, next);
    // 128 clients × 500 spans is more than the queue holds: it must refuse, not grow.
    acked += await phase("overload", collector.port, pid, 128, next);
    console.log(`collector peak RSS over the run (VmHWM): ${rssMb(pid, "VmHWM").toFixed(0)} MB`);
    if (databaseUrl.startsWith("file:")) {
      const stored = (new Database(databaseUrl.slice(5), { readonly: true }).prepare("SELECT COUNT(*) AS n FROM spans").get() as { n: number }).n;
      console.log(`check: ${acked.toLocaleString("en")} spans acknowledged, ${stored.toLocaleString("en")} stored`);
    }
  } finally {
    await collector.stop();
  }
  runDecoderBench({ seconds: 3 });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
