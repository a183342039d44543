import { startLeasedJob } from "./housekeeping";
import { type MinuteRollup, blockColumn, mergeRollups, rollUpBlocks } from "./sample-blocks";
import { minuteOf } from "./span-keys";
import type { Sql } from "./sql";

const COLUMNS = "minute, series_key, count, sum, min, max, first, first_ts, last, last_ts";
const PER_ROW = COLUMNS.split(",").length;
/** Shapes whose blocks are read per query: about 60 blocks of each in a minute scraped every second. */
const SHAPES_PER_QUERY = 50;
/** Rollups per INSERT (5,000 parameters), and per transaction: a busy minute's 500,000 never hold the store's writer for long. */
const ROLLUPS_PER_STATEMENT = 500;
const ROLLUPS_PER_TRANSACTION = 10_000;
/**
 * Pause between two of those transactions. SQLite's busy handler polls at most every 100 ms: back
 * to back, the transactions would keep the ingest writer out for the whole minute's rollup.
 */
const WRITER_GAP_MS = 150;
/** Shapes never change once written: each is read once per process (bounded, as shapes can churn). */
const shapeCache = new Map<number, Float64Array>();
const SHAPES_CACHED = 10_000;

type Num = number | string | null; // pg returns COUNT(*) and bigint columns as strings
const num = (v: Num) => (v === null ? null : Number(v));

/**
 * Builds (or rebuilds) the minute rollups of every minute that received samples and is over.
 * Each minute is summed whole from its raw samples (in the database) and its scrape blocks (here);
 * a minute that gets a late sample is marked again and rebuilt whole, so rollups never count a
 * sample twice.
 */
export async function rollUpMetricMinutes(sql: Sql, nowMs: number): Promise<number> {
  const dirty = await sql.query<{ minute: number; touched_ms: number }>(
    `SELECT minute, touched_ms FROM metric_dirty_minutes WHERE minute < ? ORDER BY minute`, [minuteOf(nowMs)]);
  for (const { minute, touched_ms } of dirty) await writeRollups(sql, minute, [...(await minuteRollups(sql, minute)).values()], Number(touched_ms));
  return dirty.length;
}

async function minuteRollups(sql: Sql, minute: number): Promise<Map<number, MinuteRollup>> {
  const byKey = new Map<number, MinuteRollup>();
  const add = (r: MinuteRollup) => {
    const had = byKey.get(r.seriesKey);
    byKey.set(r.seriesKey, had ? mergeRollups(had, r) : r);
  };
  const rows = await sql.query<Record<"series_key" | "n" | "s" | "lo" | "hi" | "first" | "first_ts" | "last" | "last_ts", Num>>(
    `SELECT a.series_key, a.n, a.s, a.lo, a.hi, f.value AS first, a.first_ts, l.value AS last, a.last_ts
     FROM (SELECT minute, series_key, COUNT(*) AS n, SUM(value) AS s, MIN(value) AS lo, MAX(value) AS hi, MIN(ts) AS first_ts, MAX(ts) AS last_ts
           FROM metric_samples WHERE minute = ? GROUP BY minute, series_key) a
     JOIN metric_samples f ON f.minute = a.minute AND f.series_key = a.series_key AND f.ts = a.first_ts
     JOIN metric_samples l ON l.minute = a.minute AND l.series_key = a.series_key AND l.ts = a.last_ts`, [minute]);
  for (const r of rows) {
    add({ seriesKey: Number(r.series_key), count: Number(r.n), sum: num(r.s), min: num(r.lo), max: num(r.hi),
      first: num(r.first), firstTs: Number(r.first_ts), last: num(r.last), lastTs: Number(r.last_ts) });
  }
  const shapes = (await sql.query<{ shape_id: Num }>(`SELECT DISTINCT shape_id FROM metric_blocks WHERE minute = ? ORDER BY shape_id`, [minute]))
    .map((r) => Number(r.shape_id));
  for (let i = 0; i < shapes.length; i += SHAPES_PER_QUERY) {
    const group = shapes.slice(i, i + SHAPES_PER_QUERY);
    const keys = await shapeKeys(sql, group);
    const blocks = await sql.query<{ shape_id: Num; ts: number; sample_values: Uint8Array }>(
      `SELECT shape_id, ts, sample_values FROM metric_blocks WHERE minute = ? AND shape_id >= ? AND shape_id <= ? ORDER BY shape_id, ts`,
      [minute, group[0], group[group.length - 1]]);
    for (let j = 0; j < blocks.length;) {
      const shape = Number(blocks[j].shape_id);
      const ofShape: { ts: number; values: Float64Array }[] = [];
      for (; j < blocks.length && Number(blocks[j].shape_id) === shape; j++) ofShape.push({ ts: Number(blocks[j].ts), values: blockColumn(blocks[j].sample_values) });
      for (const r of rollUpBlocks(keys.get(shape)!, ofShape)) add(r);
    }
  }
  return byKey;
}

async function shapeKeys(sql: Sql, shapes: number[]): Promise<Map<number, Float64Array>> {
  const missing = shapes.filter((s) => !shapeCache.has(s));
  if (missing.length > 0) {
    if (shapeCache.size + missing.length > SHAPES_CACHED) shapeCache.clear();
    const rows = await sql.query<{ id: Num; series_keys: Uint8Array }>(
      `SELECT id, series_keys FROM metric_shapes WHERE id IN (${missing.map(() => "?").join(",")})`, missing);
    for (const r of rows) shapeCache.set(Number(r.id), blockColumn(r.series_keys));
  }
  return new Map(shapes.map((s) => [s, shapeCache.get(s)!]));
}

/** Upserts a minute's rollups a slice per transaction; the last one clears the minute's mark unless a sample arrived meanwhile. */
async function writeRollups(sql: Sql, minute: number, rollups: MinuteRollup[], touchedMs: number): Promise<void> {
  for (let t = 0; t === 0 || t < rollups.length; t += ROLLUPS_PER_TRANSACTION) {
    if (t > 0) await new Promise((r) => setTimeout(r, WRITER_GAP_MS));
    const slice = rollups.slice(t, t + ROLLUPS_PER_TRANSACTION);
    const lastSlice = t + ROLLUPS_PER_TRANSACTION >= rollups.length;
    await sql.transaction(async (tx) => {
      for (let i = 0; i < slice.length; i += ROLLUPS_PER_STATEMENT) {
        const part = slice.slice(i, i + ROLLUPS_PER_STATEMENT);
        const params: unknown[] = [];
        for (const r of part) params.push(minute, r.seriesKey, r.count, r.sum, r.min, r.max, r.first, r.firstTs, r.last, r.lastTs);
        await tx.run(`INSERT INTO metric_rollups (${COLUMNS}) VALUES ${part.map(() => `(${Array(PER_ROW).fill("?").join(",")})`).join(",")}
          ON CONFLICT (minute, series_key) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
            first = excluded.first, first_ts = excluded.first_ts, last = excluded.last, last_ts = excluded.last_ts`, params);
      }
      // A sample that arrived while this ran marked the minute again: leave the mark for the next pass.
      if (lastSlice) await tx.run(`DELETE FROM metric_dirty_minutes WHERE minute = ? AND touched_ms <= ?`, [minute, touchedMs]);
    });
  }
}

/**
 * Rolls up finished minutes every `everyMs` in whichever replica holds the lease. On SQLite it runs
 * on the completion thread: a busy minute's rollup reads a few hundred megabytes of blocks, which
 * would otherwise stop the collector's main thread (and every request on it) while it runs.
 */
export function startMetricRollups(sql: Sql, everyMs = 10_000): () => void {
  return startLeasedJob(sql, "metric-rollups", { everyMs, leaseMs: everyMs * 2 }, () => rollUpMetricMinutes(sql, Date.now()));
}
