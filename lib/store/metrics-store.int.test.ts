import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SeriesSamples } from "../../collectors/prometheus/series";
import { MetricsIngest } from "../ingest/metrics-ingest";
import { SeriesRegistry, identify } from "../ingest/sample-batch";
import { createPostgresDatabase } from "../testing/processes";
import { storeTarget } from "./database-url";
import { applyRetention } from "./housekeeping";
import { browseSeries, minuteStats, rawSamples } from "./metric-queries";
import { rollUpMetricMinutes } from "./metric-rollups";
import { migrate } from "./migrate";
import { type Prisma, openPrisma } from "./prisma";
import { type SampleWriter, postgresSampleWriter, sqliteSampleWriter } from "./sample-writer";
import { type PostgresSql, type SqliteSql, openPostgres, openSqlite } from "./sql";

const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000); // a minute boundary
const series = (name: string, labels: [string, string][], points: [number, number][]): SeriesSamples =>
  ({ name, labels, timestamps: points.map(([t]) => t), values: points.map(([, v]) => v) });

function suite(name: string, open: () => Promise<{ url: string; sql: SqliteSql | PostgresSql; cleanup(): Promise<void> }>) {
  describe(`metrics store on ${name}`, () => {
    let sql: SqliteSql | PostgresSql;
    let db: Prisma;
    let writer: SampleWriter;
    let cleanup: () => Promise<void>;
    const registry = new SeriesRegistry(3, []);
    const write = async (list: SeriesSamples[]) => {
      const { batch, droppedSeries } = registry.admit(list, new Map([["requests_total", { type: "counter" as const }]]));
      const n = await writer.write([batch], T0);
      registry.committed(batch.series);
      return { n, droppedSeries };
    };
    beforeAll(async () => {
      const opened = await open();
      ({ sql, cleanup } = opened);
      await migrate(sql);
      db = openPrisma(storeTarget(opened.url));
      writer = sql.kind === "sqlite" ? sqliteSampleWriter(sql) : postgresSampleWriter(sql);
    });
    afterAll(async () => {
      await db?.$disconnect();
      await sql?.close();
      await cleanup?.();
    });

    it("stores samples once, keeps NaN as null and enforces the series limit", async () => {
      const counter = series("requests_total", [["instance", "a:1"], ["job", "api"]], [[T0 + 1000, 10], [T0 + 31_000, 40], [T0 + 61_000, 70], [T0 + 91_000, 5]]);
      const gauge = series("queue_depth", [["job", "api"]], [[T0 + 1000, 3], [T0 + 31_000, NaN], [T0 + 61_000, 9]]);
      expect(await write([counter, gauge])).toEqual({ n: 7, droppedSeries: 0 });
      expect((await write([counter])).n).toBe(0); // a retry stores nothing twice
      const limited = await write([series("a", [], [[T0, 1]]), series("b", [], [[T0, 1]])]);
      expect(limited).toEqual({ n: 1, droppedSeries: 1 }); // the limit is 3 series
      const stored = await db.metricSeries.findFirst({ where: { name: "requests_total" } });
      expect(stored).toMatchObject({ job: "api", instance: "a:1", type: "counter", labels: '{"instance":"a:1","job":"api"}' });
      const gaugeKey = Number((await db.metricSeries.findFirst({ where: { name: "queue_depth" } }))!.key);
      expect(await rawSamples(db, gaugeKey, T0, T0 + 120_000)).toEqual([{ ts: T0 + 1000, value: 3 }, { ts: T0 + 31_000, value: null }, { ts: T0 + 61_000, value: 9 }]);
    });

    it("rolls up finished minutes, rebuilds a minute that gets a late sample, and derives counter rates across a reset", async () => {
      expect(await rollUpMetricMinutes(sql, T0 + 120_000)).toBe(2); // minutes T0 and T0+1 are over
      const counterKey = Number((await db.metricSeries.findFirst({ where: { name: "requests_total" } }))!.key);
      const gaugeKey = Number((await db.metricSeries.findFirst({ where: { name: "queue_depth" } }))!.key);
      const m0 = T0 / 60_000;
      let stats = await minuteStats(db, [counterKey, gaugeKey], m0, m0 + 1);
      expect(stats.get(gaugeKey)![0]).toMatchObject({ t: T0, avg: 1.5, max: 3, last: 3 }); // NaN skipped by sum/max, counted by count
      // 70 at +61 s after 40 at +31 s, then 5 at +91 s: a reset, so the counter rose 30 then 5.
      expect(stats.get(counterKey)![1].rate).toBeCloseTo((30 + 5) / 60, 9);

      await write([series("requests_total", [["instance", "a:1"], ["job", "api"]], [[T0 + 50_000, 45]])]); // late, into minute T0
      expect(await rollUpMetricMinutes(sql, T0 + 180_000)).toBe(1);
      stats = await minuteStats(db, [counterKey], m0, m0 + 1);
      expect(stats.get(counterKey)![0]).toMatchObject({ last: 45, max: 45 });
      expect(await rollUpMetricMinutes(sql, T0 + 180_000)).toBe(0);
    });

    it("drops samples past their retention and keeps the rollups for theirs", async () => {
      const removed = await applyRetention(sql, 3_600_000, 400 * 86_400_000, 60_000, T0 + 121_000);
      expect(removed.samples).toBe(6);
      expect(removed.metricRollups).toBe(0);
    });

    it("takes a repeated scrape's columns once its series are stored, and their samples in any order", async () => {
      const ingest = await MetricsIngest.start(sql, (batches, nowMs) => writer.write(batches, nowMs), { maxSeries: 100, capacity: 1000, batchSize: 1000, retryAfterSeconds: 1 });
      const ids = ["c", "a", "b"].map((n) => identify("scraped", [["job", "s"], ["n", n]]));
      const columns = (ts: number, values: number[]) => ({ keys: Float64Array.from(ids, (i) => i.key), values: Float64Array.from(values), ts });
      expect(await ingest.ingestColumns(columns(T0 + 1000, [1, 2, 3]))).toBeUndefined(); // not stored yet: admitted as series first
      await ingest.ingest(ids.map((identity, i) => ({ name: "scraped", identity, timestamps: [T0 + 1000], values: [i + 1] })), new Map());
      expect(await ingest.ingestColumns(columns(T0 + 2000, [4, 5, 6]))).toEqual({ samples: 3, droppedSeries: 0, droppedSamples: 0 });
      const b = await rawSamples(db, ids[2].key, T0, T0 + 60_000);
      expect(b).toEqual([{ ts: T0 + 1000, value: 3 }, { ts: T0 + 2000, value: 6 }]);
    });

    it("keeps a repeated scrape as one block of its shape, written once, and reads blocks with the rows: raw, latest, rollups, retention", async () => {
      const ingest = await MetricsIngest.start(sql, (writes, nowMs) => writer.write(writes, nowMs), { maxSeries: 100, capacity: 1000, batchSize: 1000, retryAfterSeconds: 1 });
      const ids = ["x", "y"].map((n) => identify("blocked", [["job", "b"], ["n", n]]));
      const keys = Float64Array.from(ids, (i) => i.key);
      const M = T0 + 10 * 60_000; // a minute of its own
      const count = async (table: string) => Number((await sql.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
      await ingest.ingest(ids.map((identity, i) => ({ name: "blocked", identity, timestamps: [M + 1000], values: [10 + i] })), new Map()); // the first scrape: rows
      for (const [ts, values] of [[M + 2000, [20, NaN]], [M + 3000, [5, 7]]] as const) {
        expect(await ingest.ingestColumns({ keys, values: Float64Array.from(values), ts })).toEqual({ samples: 2, droppedSeries: 0, droppedSamples: 0 });
      }
      expect(await count("metric_blocks")).toBe(3); // these two and the previous test's
      expect(await count("metric_shapes")).toBe(2);
      expect(await count("metric_shape_series")).toBe(5);

      expect(await rawSamples(db, ids[1].key, M, M + 60_000)).toEqual([{ ts: M + 1000, value: 11 }, { ts: M + 2000, value: null }, { ts: M + 3000, value: 7 }]);
      const browsed = await browseSeries(db, { name: "blocked", limit: 10 }, M + 5000);
      expect(browsed.map((s) => s.latest)).toEqual([{ ts: M + 3000, value: 5 }, { ts: M + 3000, value: 7 }]);

      await rollUpMetricMinutes(sql, M + 60_000);
      const m = M / 60_000;
      const stats = await minuteStats(db, [ids[0].key, ids[1].key], m, m);
      expect(stats.get(ids[0].key)).toEqual([{ t: M, avg: 35 / 3, max: 20, last: 5 }]); // a row and two blocks
      expect(stats.get(ids[1].key)).toEqual([{ t: M, avg: 18 / 3, max: 11, last: 7 }]); // NaN counted, not summed
      const rollup = await db.metricRollup.findFirst({ where: { minute: m, seriesKey: BigInt(ids[0].key) } });
      expect(rollup).toMatchObject({ count: 3, first: 10, firstTs: M + 1000, last: 5, lastTs: M + 3000, min: 5 });

      const removed = await applyRetention(sql, 3_600_000, 400 * 86_400_000, 60_000, M + 121_000);
      // This test's 2 rows and 2 blocks of 2, the previous test's 3 rows and block of 3, the first test's 3 rows of its second minute.
      expect(removed.samples).toBe(2 + 4 + 3 + 3 + 3);
      expect(await count("metric_blocks")).toBe(0);
      expect(await rawSamples(db, ids[0].key, M, M + 60_000)).toEqual([]);
      expect(await count("metric_shapes")).toBe(2); // shapes stay, like series
    });

    it("stores a scrape that comes while the first is still queued as a block behind its rows, and resends the rows of a failed write", async () => {
      let gate: Promise<void> = Promise.resolve();
      let fail = false;
      const ingest = await MetricsIngest.start(sql, async (writes, nowMs) => {
        await gate;
        if (fail) throw new Error("disk full");
        return writer.write(writes, nowMs);
      }, { maxSeries: 100, capacity: 100, batchSize: 1000, retryAfterSeconds: 1 });
      const ids = ["p", "q"].map((n) => identify("queued", [["job", "w"], ["n", n]]));
      const keys = Float64Array.from(ids, (i) => i.key);
      const M = T0 + 20 * 60_000;
      const firstScrape = (ts: number) => ingest.ingest(ids.map((identity, i) => ({ name: "queued", identity, timestamps: [ts], values: [i] })), new Map());
      const known = ingest.registry.size;
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      const first = firstScrape(M + 1000); // weighs 2 samples + 2 × 16 for the rows
      const second = ingest.ingestColumns({ keys, values: Float64Array.of(5, 6), ts: M + 2000 });
      expect(second).toBeInstanceOf(Promise); // not undefined: its rows are on their way
      // Refused before admission, by its rows' weight too: 10 samples fit, the queue (all of it, for 10 rows) does not.
      const crowd = Array.from({ length: 10 }, (_, i) => ({ name: "crowd", identity: identify("crowd", [["i", String(i)]]), timestamps: [M], values: [i] }));
      await expect(ingest.ingest(crowd, new Map())).rejects.toThrow("ingest queue is full");
      // A repeated scrape of them is refused as soon as its series are found new, before it becomes series objects.
      await expect(ingest.ingestColumns({ keys: Float64Array.from(crowd, (c) => c.identity.key), values: new Float64Array(10), ts: M })).rejects.toThrow("ingest queue is full");
      expect(ingest.registry.size).toBe(known + 2); // the two queued, and none of the refused
      open();
      await first;
      expect(await second).toEqual({ samples: 2, droppedSeries: 0, droppedSamples: 0 });
      expect(await rawSamples(db, ids[1].key, M, M + 60_000)).toEqual([{ ts: M + 1000, value: 1 }, { ts: M + 2000, value: 6 }]);

      fail = true;
      const lost = identify("queued", [["job", "w"], ["n", "r"]]);
      const once = (ts: number) => ingest.ingest([{ name: "queued", identity: lost, timestamps: [ts], values: [ts] }], new Map());
      await expect(once(M + 3000)).rejects.toThrow("disk full");
      expect(await ingest.ingestColumns({ keys: Float64Array.of(lost.key), values: Float64Array.of(1), ts: M + 4000 })).toBeUndefined();
      fail = false;
      await once(M + 5000); // carries the row again
      expect(await db.metricSeries.count({ where: { name: "queued" } })).toBe(3);
    });
  });
}

suite("SQLite", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "pp-metrics-")), "s.db");
  return { url: `file:${path}`, sql: openSqlite(path), cleanup: async () => {} };
});

const pgServer = process.env.TEST_DATABASE_URL;
if (pgServer) {
  suite("PostgreSQL", async () => {
    const created = await createPostgresDatabase(pgServer);
    return { url: created.url, sql: await openPostgres(created.url), cleanup: created.drop };
  });
}
