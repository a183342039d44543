/**
 * Trace analysis figures (npm run bench:analysis):
 *  1. critical path + self time + patterns (traceContributions) on 20-span traces: traces/s;
 *  2. a SQLite store with BENCH_SPANS spans (default 10 million, 20-span traces over the last
 *     hour) written through the ingest writer, every trace completed (traces/s), then
 *     GET /api/bottlenecks?window=1h from the real web server: p50/p95 latency.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { traceContributions } from "../lib/analysis/trace-contributions";
import type { TraceSpan } from "../lib/analysis/trace-tree";
import { rollupsOf } from "../lib/ingest/rollups";
import type { SpanRecord } from "../lib/ingest/span-record";
import { completeQuietTraces } from "../lib/ingest/trace-completion";
import { migrate } from "../lib/store/migrate";
import { sqliteSpanWriter } from "../lib/store/span-writer";
import { openSqlite } from "../lib/store/sql";
import { mulberry32 } from "../lib/testing/prng";
import { startWebProcess } from "../lib/testing/processes";

const SPANS = Number(process.env.BENCH_SPANS ?? 10_000_000);
const SERVICES = ["gateway", "orders", "payments", "inventory", "users"];

/** A 20-span trace: a server root, fan-out to services, some repeated queries, random timings. */
function makeTrace(r: () => number, startMs: number): SpanRecord[] {
  const traceId = randomBytes(16).toString("hex");
  const spans: SpanRecord[] = [];
  const add = (parent: SpanRecord | undefined, service: string, name: string, kind: number, start: number, duration: number) => {
    const s: SpanRecord = { traceId, spanId: randomBytes(8).toString("hex"), parentSpanId: parent?.spanId ?? "", service, name, kind,
      startMs: start, durationMs: duration, statusCode: r() < 0.01 ? 2 : 0, statusMessage: "", attributes: '{"http.route":"/x"}',
      resource: `{"service.name":"${service}"}`, scope: "bench", events: "[]", links: "[]" };
    spans.push(s);
    return s;
  };
  const root = add(undefined, "gateway", "GET /checkout", 2, startMs, 100 + r() * 200);
  let t = startMs + 2;
  while (spans.length < 20) {
    const service = SERVICES[1 + Math.floor(r() * 4)];
    const d = 5 + r() * 30;
    const call = add(root, "gateway", `call ${service}`, 3, t, d);
    const server = add(call, service, `GET /${service}`, 2, t + 0.5, d - 1);
    for (let q = 0; q < 3 && spans.length < 20; q++) add(server, service, "SELECT row", 3, t + 1 + q * 2, 1.5);
    t += r() < 0.5 ? d : d / 3; // sometimes sequential, sometimes overlapping
  }
  return spans;
}

function pct(sorted: number[], q: number) { return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]; }

async function main() {
  const r = mulberry32(1);
  const sample = Array.from({ length: 2000 }, (_, i) => makeTrace(r, Date.now() + i) as TraceSpan[]);
  for (const t of sample) traceContributions(t); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 3000) traceContributions(sample[n++ % sample.length]);
  console.log(`trace analysis (critical path, self time, patterns; 20-span traces): ${Math.round(n / ((performance.now() - t0) / 1000)).toLocaleString("en")} traces/s`);

  const dir = mkdtempSync(join(tmpdir(), "pp-bench-analysis-"));
  const path = join(dir, "bench.db");
  const sql = openSqlite(path);
  await migrate(sql);
  const writer = sqliteSpanWriter(sql);
  const now = Date.now();
  const traces = Math.floor(SPANS / 20);
  let written = 0;
  const w0 = performance.now();
  for (let i = 0; i < traces; i += 500) {
    const batch: SpanRecord[] = [];
    for (let j = i; j < Math.min(traces, i + 500); j++) batch.push(...makeTrace(r, now - 3_600_000 + (j / traces) * 3_590_000));
    written += await writer.write(batch, now - 60_000, rollupsOf);
  }
  console.log(`stored ${written.toLocaleString("en")} spans in ${((performance.now() - w0) / 1000).toFixed(0)} s through the ingest writer`);
  const c0 = performance.now();
  let completed = 0;
  for (let done; (done = await completeQuietTraces(sql, Date.now(), 0)) > 0;) completed += done;
  console.log(`trace completion: ${completed.toLocaleString("en")} traces at ${Math.round(completed / ((performance.now() - c0) / 1000)).toLocaleString("en")} traces/s`);
  await sql.close();

  const web = await startWebProcess({ DATABASE_URL: `file:${path}` });
  try {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const s = performance.now();
      const res = await fetch(`http://127.0.0.1:${web.port}/api/bottlenecks?window=1h`);
      const body = await res.json();
      times.push(performance.now() - s);
      if (i === 0) console.log(`first answer: ${body.findings.length} findings, top: ${body.findings[0]?.summary ?? "none"}`);
    }
    times.sort((a, b) => a - b);
    console.log(`GET /api/bottlenecks?window=1h over ${written.toLocaleString("en")} spans: p50 ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms`);
  } finally {
    await web.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
