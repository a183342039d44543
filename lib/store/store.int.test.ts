import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rollupsOf } from "../ingest/rollups";
import { completeQuietTraces } from "../ingest/trace-completion";
import type { SpanRecord } from "../ingest/span-record";
import { createPostgresDatabase } from "../testing/processes";
import { applyRetention, takeLease } from "./housekeeping";
import { migrate, readMigrations } from "./migrate";
import { idKey } from "./span-keys";
import { postgresSpanWriter, sqliteSpanWriter, type SpanWriter } from "./span-writer";
import { type PostgresSql, type SqliteSql, openPostgres, openSqlite } from "./sql";

function span(i: number, over: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: i.toString(16).padStart(32, "0"), spanId: (i + 1).toString(16).padStart(16, "0"), parentSpanId: "",
    service: "api", name: "GET /x", kind: 2, startMs: 1_700_000_000_000 + i, durationMs: 10 + i, statusCode: i % 4 === 0 ? 2 : 0,
    statusMessage: "", attributes: "{}", resource: '{"service.name":"api"}', scope: "", events: "[]", links: "[]", ...over,
  };
}

function storeSuite(name: string, open: () => Promise<{ sql: SqliteSql | PostgresSql; cleanup(): Promise<void> }>) {
  describe(`store on ${name}`, () => {
    let sql: SqliteSql | PostgresSql;
    let cleanup: () => Promise<void>;
    let writer: SpanWriter;
    beforeAll(async () => {
      ({ sql, cleanup } = await open());
      expect(await migrate(sql)).toEqual(readMigrations(sql.kind).map((m) => m.name));
      writer = sql.kind === "sqlite" ? sqliteSpanWriter(sql) : postgresSpanWriter(sql);
    });
    afterAll(async () => {
      await sql?.close();
      await cleanup?.();
    });

    it("applies each migration once and refuses one changed after it was applied", async () => {
      expect(await migrate(sql)).toEqual([]);
      const [first, ...rest] = readMigrations(sql.kind);
      await expect(migrate(sql, [{ ...first, checksum: "edited" }, ...rest])).rejects.toThrow(/changed after it was applied/);
    });

    it("writes spans and adds their rollups; a span sent again is neither stored nor counted twice", async () => {
      const batch = Array.from({ length: 8 }, (_, i) => span(i));
      expect(await writer.write(batch, Date.now(), rollupsOf)).toBe(8);
      expect(await writer.write([...batch.slice(0, 3), span(100)], Date.now(), rollupsOf)).toBe(1);
      const [totals] = await sql.query<{ count: number; errors: number; sum_ms: number }>(
        "SELECT SUM(count) AS count, SUM(errors) AS errors, SUM(sum_ms) AS sum_ms FROM rollups");
      expect(Number(totals.count)).toBe(9);
      expect(Number(totals.errors)).toBe(3); // spans 0, 4 and 100
      expect(Number(totals.sum_ms)).toBeCloseTo([0, 1, 2, 3, 4, 5, 6, 7, 100].reduce((s, i) => s + 10 + i, 0), 6);
      const [buckets] = await sql.query<{ n: number }>("SELECT SUM(count) AS n FROM rollup_buckets");
      expect(Number(buckets.n)).toBe(9);
      const [stored] = await sql.query<{ n: number }>("SELECT COUNT(*) AS n FROM spans");
      expect(Number(stored.n)).toBe(9);
      // One resource for all nine spans, beside the empty one the migration adds for older spans.
      const resources = await sql.query<{ attributes: string }>("SELECT attributes FROM resources ORDER BY key");
      expect(resources.map((r) => r.attributes).sort()).toEqual(['{"service.name":"api"}', "{}"]);
    });

    it("analyses a trace once it is quiet, and a late span does not count it twice", async () => {
      const trace = "f".repeat(32);
      const root = span(7000, { traceId: trace, spanId: "1".repeat(16), startMs: 1_700_000_000_000, durationMs: 100 });
      const child = span(7001, { traceId: trace, spanId: "2".repeat(16), parentSpanId: "1".repeat(16), kind: 3, name: "SELECT", startMs: 1_700_000_000_010, durationMs: 30 });
      await writer.write([root, child], 5_000, rollupsOf);
      expect(await completeQuietTraces(sql, 5_500, 1_000)).toBe(0); // not quiet yet
      expect(await completeQuietTraces(sql, 7_000, 1_000)).toBe(1);
      const critical = async () => Number((await sql.query<{ c: number }>("SELECT SUM(critical_ms) AS c FROM rollups"))[0].c);
      const self = async () => Number((await sql.query<{ s: number }>("SELECT SUM(self_ms) AS s FROM rollups"))[0].s);
      expect(await critical()).toBeCloseTo(100, 6);
      expect(await self()).toBeCloseTo(100, 6);
      await writer.write([span(7002, { traceId: trace, spanId: "3".repeat(16), parentSpanId: "1".repeat(16), startMs: 1_700_000_000_050, durationMs: 5 })], 9_000, rollupsOf);
      expect(await completeQuietTraces(sql, 20_000, 1_000)).toBe(0);
      expect(await critical()).toBeCloseTo(100, 6);
    });

    it("gives a job's lease to one holder at a time until it expires", async () => {
      expect(await takeLease(sql, "retention", "a", 1000, 10_000)).toBe(true);
      expect(await takeLease(sql, "retention", "b", 1000, 10_500)).toBe(false);
      expect(await takeLease(sql, "retention", "a", 1000, 10_600)).toBe(true);
      expect(await takeLease(sql, "retention", "b", 1000, 11_700)).toBe(true);
    });

    it("deletes spans and rollups older than their retention", async () => {
      const now = 1_700_000_000_000 + 24 * 3_600_000;
      await writer.write([span(5000, { startMs: now - 1000 })], Date.now(), rollupsOf);
      const removed = await applyRetention(sql, 3_600_000, 3_600_000, 3_600_000, now);
      expect(removed.spans).toBe(12);
      const [left] = await sql.query<{ n: number }>("SELECT COUNT(*) AS n FROM spans");
      expect(Number(left.n)).toBe(1);
      const [rollups] = await sql.query<{ n: number }>("SELECT SUM(count) AS n FROM rollups");
      expect(Number(rollups.n)).toBe(1);
    });
  });
}

storeSuite("SQLite", async () => ({ sql: openSqlite(join(mkdtempSync(join(tmpdir(), "pp-store-")), "s.db")), cleanup: async () => {} }));

const pgServer = process.env.TEST_DATABASE_URL;
if (pgServer) {
  storeSuite("PostgreSQL", async () => {
    const db = await createPostgresDatabase(pgServer);
    return { sql: await openPostgres(db.url), cleanup: db.drop };
  });
}

describe("idKey", () => {
  it("keys every id apart, also ids that differ only in their low bits or are zero-padded", () => {
    const ids = [
      ...Array.from({ length: 20_000 }, (_, i) => i.toString(16).padStart(32, "0")),
      ...Array.from({ length: 20_000 }, (_, i) => (i * 0x10000).toString(16).padStart(16, "0")),
      ...Array.from({ length: 20_000 }, () => Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("")),
    ];
    const keys = ids.map(idKey);
    expect(new Set(keys).size).toBe(new Set(ids).size);
    for (const k of keys) expect(Number.isSafeInteger(k) && k >= 0).toBe(true);
  });
});
