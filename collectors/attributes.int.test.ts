import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { tracerProvider } from "../lib/testing/otel-client";
import { type Proc, forEachStore, startCollectorProcess, startWebProcess } from "../lib/testing/processes";

const SERVICE = "attr-orders";
const OPERATION = "SELECT orders";
const SLOW = 30;
const FAST = 70;
const FAILING = 6;

/**
 * 30 slow calls (200 ms), all running "SELECT * FROM orders", 20 of them on the replica pool;
 * 70 fast ones (10 ms): 10 running the same statement, 30 "SELECT id FROM users", 30 "SELECT 1"
 * (6 of which fail), all on the primary pool. Every call has its own request id.
 */
async function sendQueries(endpoint: string): Promise<void> {
  const provider = tracerProvider({ endpoint, protocol: "proto", gzip: false, service: SERVICE });
  const t = provider.getTracer("test");
  const base = Date.now() - 4 * 60_000;
  const statementOf = (fast: number) => (fast < 10 ? "SELECT * FROM orders" : fast < 40 ? "SELECT id FROM users" : "SELECT 1");
  for (let n = 0; n < SLOW + FAST; n++) {
    const slow = n < SLOW;
    const fast = n - SLOW;
    const start = base + n * 1000;
    const span = t.startSpan(OPERATION, {
      kind: SpanKind.CLIENT,
      startTime: start,
      attributes: {
        "db.statement": slow ? "SELECT * FROM orders" : statementOf(fast),
        "db.pool": slow && n < 20 ? "replica" : "primary",
        "request.id": `req-${n}`,
      },
    });
    if (!slow && fast >= 40 && fast < 40 + FAILING) span.setStatus({ code: SpanStatusCode.ERROR, message: "timeout" });
    span.end(start + (slow ? 200 : 10));
  }
  await provider.forceFlush();
  await provider.shutdown();
}

interface Row { key: string; value: string; flaggedShare: number; baselineShare: number; lift: number | null; flaggedCount: number; baselineCount: number }
interface Comparison { service: string; operation: string; window: string; flaggedBy: string; threshold?: number; flagged: number; baseline: number; attributes: Row[] }

function suite(name: string, databaseUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>) {
  describe(`attribute comparison (${name})`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let collector: Proc & { port: number };
    let web: Proc & { port: number };
    const api = (query: string) => fetch(`http://127.0.0.1:${web.port}/api/bottlenecks/attributes?${query}`);
    const latencyQuery = `service=${encodeURIComponent(SERVICE)}&operation=${encodeURIComponent(OPERATION)}&window=1h&minDurationMs=120`;

    beforeAll(async () => {
      db = await databaseUrl();
      collector = await startCollectorProcess({ DATABASE_URL: db.url, PINCHPOINT_TRACE_QUIET_SECONDS: "1" });
      web = await startWebProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collector.port) });
      await sendQueries(`http://127.0.0.1:${collector.port}`);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const body = (await (await api(latencyQuery)).json()) as Comparison;
        if (body.flagged + body.baseline >= SLOW + FAST) break;
        if (Date.now() > deadline) throw new Error(`spans not stored in time: ${JSON.stringify(body)}\n${collector.output()}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    });
    afterAll(async () => {
      await Promise.all([web?.stop(), collector?.stop()]);
      await db?.cleanup();
    });

    it("ranks the statement all the slow calls share first, with exact shares", async () => {
      const res = await api(latencyQuery);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Comparison;
      expect(body).toMatchObject({ service: SERVICE, operation: OPERATION, window: "1h", flaggedBy: "latency", threshold: 120, flagged: SLOW, baseline: FAST });
      expect(body.attributes[0]).toEqual({
        key: "db.statement", value: "SELECT * FROM orders", flaggedShare: 1, baselineShare: 10 / 70, lift: 7, flaggedCount: 30, baselineCount: 10,
      });
      expect(body.attributes[1]).toEqual({
        key: "db.pool", value: "replica", flaggedShare: 20 / 30, baselineShare: 0, lift: null, flaggedCount: 20, baselineCount: 0,
      });
      // The request ids are unique per call; the resource (service.name) is the same for all.
      expect(body.attributes.map((a) => a.key)).toEqual(["db.statement", "db.pool"]);
    });

    it("compares the failing calls with the rest when asked for errors", async () => {
      const res = await api(`service=${encodeURIComponent(SERVICE)}&operation=${encodeURIComponent(OPERATION)}&window=1h&errorsOnly=true`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Comparison;
      expect(body).toMatchObject({ flaggedBy: "errors", flagged: FAILING, baseline: SLOW + FAST - FAILING });
      expect(body.threshold).toBeUndefined();
      const primary = body.attributes.find((a) => a.key === "db.pool");
      expect(body.attributes[0]).toEqual({
        key: "db.statement", value: "SELECT 1", flaggedShare: 1, baselineShare: 24 / 94, lift: expect.closeTo(94 / 24, 12), flaggedCount: 6, baselineCount: 24,
      });
      expect(primary).toMatchObject({ value: "primary", flaggedShare: 1, baselineShare: 74 / 94 });
    });

    it("answers bad queries with 400 and a message", async () => {
      for (const q of [
        `operation=${encodeURIComponent(OPERATION)}&minDurationMs=120`,
        `service=${SERVICE}&minDurationMs=120`,
        `service=${SERVICE}&operation=x&window=2h&minDurationMs=120`,
        `service=${SERVICE}&operation=x&window=1h`,
        `service=${SERVICE}&operation=x&minDurationMs=fast`,
      ]) {
        const res = await api(q);
        expect(res.status, q).toBe(400);
        expect(typeof ((await res.json()) as { error: unknown }).error, q).toBe("string");
      }
    });
  });
}

forEachStore(suite);
